// getsockopt's and setsockopt's option value as strace shows the common
// case: an option the size of an int is that int, "[1]". Other sizes (a
// struct linger, a struct timeval) stay the bytes they are.
#pragma once

#include <cstddef>
#include <optional>
#include <cstdint>

#include "decode/input/record_parser.h"
#include "decode/values/value.h"

namespace etrace::decode {

// The optval argument's copy; nothing when it is not int-sized (the
// address and -v do not matter: the signature is syscall_decoders.h's).
std::optional<Value> sockopt_value(const PayloadItem& item, uint64_t address, bool verbose);

}  // namespace etrace::decode
