// errno numbers as names and messages. Names come from a table generated
// at build time from the Linux UAPI headers; messages from strerror().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace etrace::decode {

// "ENOENT" for 2; nullopt for a number no header names.
std::optional<std::string_view> errno_name(int number);
// strerror()'s sentence, or the description of a kernel-internal code.
std::string errno_message(int number);
// ERESTARTSYS and its kin: codes the kernel never returns to user space.
bool errno_is_kernel_internal(int number);

// Syscalls return errors as -1..-4095: the rest are values.
inline bool is_error_return(int64_t ret) { return ret < 0 && ret >= -4095; }

}  // namespace etrace::decode
