// What etrace-decode says on standard error: warnings, and the one
// sentence that ends a decode.
#pragma once

#include <string>

namespace etrace::decode {

void warn(const std::string& sentence);
// Says it, and returns `code`: the exit status.
int fail(const std::string& sentence, int code = 1);

}  // namespace etrace::decode
