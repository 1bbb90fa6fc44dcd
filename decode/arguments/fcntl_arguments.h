// fcntl as strace shows it: the third argument in the notation of the
// command (F_SETFD's FD_CLOEXEC, F_SETFL's open flags, a descriptor or a
// count in decimal), and the results of F_GETFD and F_GETFL as flags,
// "= 0x8002 (flags O_RDWR|O_APPEND)".
#pragma once

#include <cstdint>

#include "decode/values/value.h"

namespace etrace::decode {

Value fcntl_argument(uint64_t cmd, uint64_t arg);

// Adds the flags to a successful F_GETFD or F_GETFL result.
void annotate_fcntl_return(uint64_t cmd, ReturnValue& ret);

}  // namespace etrace::decode
