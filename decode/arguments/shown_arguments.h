// How many of a call's arguments strace shows: some syscalls take an
// argument only in some uses (open's mode only with O_CREAT or O_TMPFILE,
// fcntl's third argument only for commands that read it, futex's last ones
// only for the operations that use them, mremap's new address only with
// MREMAP_FIXED), and strace leaves the rest out.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace etrace::decode {

// `declared` is how many the syscall has.
size_t shown_arguments(std::string_view syscall, const std::array<uint64_t, 6>& regs, size_t declared);

}  // namespace etrace::decode
