// siginfo_t as strace shows it: the signal, its code (named from the codes
// any signal carries, then the signal's own), and the members that code
// fills in: who sent it, a child's status, a faulting address, a queued
// value.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "decode/values/value.h"

namespace etrace::decode {

// `bytes`: the start of an x86-64 siginfo_t (48 bytes hold every member
// shown; members past a shorter copy are left out). `syscall_name` names
// a SIGSYS's syscall number ("getpid"), when the caller knows them.
Aggregate siginfo_value(std::string_view bytes,
                        const std::function<std::optional<std::string>(int)>& syscall_name = {});

}  // namespace etrace::decode
