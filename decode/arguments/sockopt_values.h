// getsockopt's and setsockopt's option value as strace shows the common
// case: an option the size of an int is that int, "[1]". Other sizes (a
// struct linger, a struct timeval) stay the bytes they are.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "decode/input/record_parser.h"
#include "decode/values/value.h"

namespace etrace::decode {

// `index` is the argument's position; nothing when it is not an optval or
// not int-sized.
std::optional<Value> sockopt_value(std::string_view syscall, size_t index, const PayloadItem& item);

}  // namespace etrace::decode
