// How many of a call's arguments strace shows: some syscalls take an
// argument only in some uses (open's mode only with O_CREAT or O_TMPFILE,
// fcntl's third argument only for commands that read it, mremap's new
// address only with MREMAP_FIXED), and strace leaves the rest out. The
// commands of multiplexed syscalls (futex's...) say it in the command table
// (catalog/syscall_commands.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "decode/arguments/syscall_decoders.h"

namespace etrace::decode {

// Every argument the syscall declares.
inline constexpr size_t kAllArguments = 6;

// How many arguments strace shows, by syscall (syscall_decoders.cpp binds them).
size_t open_shown(const Registers& regs);
size_t openat_shown(const Registers& regs);
size_t fcntl_shown(const Registers& regs);
size_t mremap_shown(const Registers& regs);

}  // namespace etrace::decode
