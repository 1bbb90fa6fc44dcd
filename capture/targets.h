// Turning what the user named (pids, command names, syscall names) into
// what the kernel filters on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "format/metadata.h"

namespace etrace::capture {

// The process (tgid) that thread or process `pid` belongs to.
std::optional<uint32_t> process_of(uint32_t pid, std::string& error);

// Syscall numbers for the names given (all of the table's when none).
std::optional<std::vector<uint32_t>> syscall_numbers(const format::SyscallTable& table,
                                                     const std::vector<std::string>& names, std::string& error);

// Command names as the kernel stores them (at most 15 bytes); longer ones
// are cut with a warning in `warnings`.
std::vector<std::string> kernel_comms(const std::vector<std::string>& names, std::vector<std::string>& warnings);

}  // namespace etrace::capture
