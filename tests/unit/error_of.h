// The message of a failed Result, for tests that check what an error says.
#pragma once

#include <string>

#include "common/result.h"

namespace etrace::test {

// "" for a success.
template <typename T>
std::string error_of(const Result<T>& r) {
  return r ? std::string() : r.error().message;
}

}  // namespace etrace::test
