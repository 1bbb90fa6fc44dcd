// Looking up syscalls by name in a capture's syscall table, with the
// "did you mean" suggestions both tools give for an unknown name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "format/metadata.h"

namespace etrace::catalog {

std::optional<uint32_t> find_syscall(const format::SyscallTable& table, const std::string& name);

// Up to `count` known names closest to `name` by edit distance, best first.
std::vector<std::string> closest_syscalls(const format::SyscallTable& table, const std::string& name, size_t count = 3);

// The name of the syscall's tracepoints (sys_enter_<event>): usually its
// own, the kernel's internal one for a few ("newstat" for stat).
std::string tracepoint_event(const std::string& name);

// The sentence for an unknown name: "unknown syscall 'opn' (closest: open, openat, ...)".
std::string unknown_syscall_message(const format::SyscallTable& table, const std::string& name);

}  // namespace etrace::catalog
