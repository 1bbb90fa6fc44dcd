// Turning what the user named (pids, command names) into what the kernel
// filters on; syscall selections are format/syscall_selection.h's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace etrace::capture {

// The process (tgid) that thread or process `pid` belongs to.
Result<uint32_t> process_of(uint32_t pid);

// Command names as the kernel stores them (at most 15 bytes); longer ones
// are cut with a warning in `warnings`.
std::vector<std::string> kernel_comms(const std::vector<std::string>& names, std::vector<std::string>& warnings);

}  // namespace etrace::capture
