// getsockopt's and setsockopt's option value as strace shows it, by level
// and name: SO_LINGER's struct linger, SO_PEERCRED's struct ucred,
// SO_ERROR's errno name ("[ECONNREFUSED]"); any other option the size of
// an int is that int, "[1]". Other sizes (a timeval, a congestion control's
// name) stay the bytes they are.
#pragma once

#include <optional>

#include "decode/arguments/syscall_decoders.h"
#include "decode/input/record_parser.h"
#include "decode/values/value.h"

namespace etrace::decode {

// The optval argument's copy; nothing leaves it to the bytes.
std::optional<Value> sockopt_value(const PayloadItem& item, const Registers& regs);

}  // namespace etrace::decode
