#include "decode/diagnostics.h"

#include <iostream>

namespace etrace::decode {

namespace {
constexpr const char* kProg = "etrace-decode";
}

void warn(const std::string& sentence) { std::cerr << kProg << ": warning: " << sentence << "\n"; }

int fail(const std::string& sentence, int code) {
  std::cerr << kProg << ": " << sentence << "\n";
  return code;
}

}  // namespace etrace::decode
