// The descriptors and working directory of the processes a capture targets,
// read from /proc when tracing starts and written as ETRACE_REC_FD records
// (format/records.h), so that etrace-decode -y can name descriptors opened
// before the capture saw them. Capture reads, it does not interpret: the
// records carry readlink's answer verbatim.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace etrace::capture {

// The processes to snapshot: `tgids` (-p, the held command), every process
// whose command name is in `comms` (-c), or with `whole_system` every
// process but this one.
std::vector<uint32_t> snapshot_processes(const std::vector<uint32_t>& tgids, const std::vector<std::string>& comms,
                                         bool whole_system);

// One record per open descriptor of each process, and one for its working
// directory (fd ETRACE_FD_CWD), stamped `ts_ns`. A process that ends
// meanwhile, or whose /proc entries cannot be read, yields what could be.
void snapshot_descriptors(const std::vector<uint32_t>& tgids, uint64_t ts_ns,
                          const std::function<void(std::span<const uint8_t>)>& sink);

}  // namespace etrace::capture
