// What a capture traces, from its options and this kernel, before anything
// is loaded: the kernel's syscall table and the syscalls chosen, with their
// copy plans; the processes, cgroups and library functions named; all of it
// as the TraceConfig the kernel side is loaded with. --check loads what a
// capture of the whole system would, through the same steps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "capture/cgroup_filter.h"
#include "capture/kernel_btf.h"
#include "capture/kernel_features.h"
#include "capture/options.h"
#include "capture/privileges.h"
#include "capture/tracefs.h"
#include "capture/tracer.h"
#include "common/result.h"
#include "format/metadata.h"

namespace etrace::capture {

struct TraceSetup {
  explicit TraceSetup(Tracefs found) : tracefs(std::move(found)) {}

  Tracefs tracefs;
  format::SyscallTable table;         // this kernel's
  std::vector<uint32_t> chosen;       // the syscalls -s chose: their tracepoint formats go into the file
  KernelBtf btf;                      // null when the kernel has none
  std::string cgroup_root;            // where cgroup v2 is mounted; "" when it is not
  std::vector<CgroupTarget> cgroups;  // --cgroup and --container
  std::vector<uint32_t> tgids;        // the processes of -p
  TraceConfig config;
};

// Reads tracefs and the kernel's BTF, and finds everything the options
// name. What is left out or cut on the way (a long command name, a type
// missing from BTF, a library function) is said in `warnings`.
Result<TraceSetup> set_up_trace(const Options& opt, const Capabilities& caps, std::vector<std::string>& warnings);

// --check: a capture of the whole system, with the library-call programs
// where `kernel` can run them, keeping the verifier's statistics.
TraceConfig check_config(const Options& opt, const KernelFeatures& kernel);

}  // namespace etrace::capture
