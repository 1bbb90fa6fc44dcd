// Classifies the C type a syscall argument is declared with in its tracefs
// format file. The tracepoint stores every argument as a full 64-bit
// register (size:8, signed:0 for all of them), so only the declared type
// tells an `int dfd` of -100 from 4294967196.
#pragma once

#include <cstdint>
#include <string_view>

#include "decode/values/value.h"

namespace etrace::decode {

struct CType {
  uint8_t width = 8;  // bytes: 1, 2, 4 or 8
  bool is_signed = false;
  bool is_pointer = false;
  // False for types this table does not know: shown as 8-byte hex, so a
  // kernel adding a typedef degrades the display but never the decoding.
  bool known = false;
};

CType classify_c_type(std::string_view declared);

// The register as the declared type sees it: truncated to the width, then
// sign- or zero-extended.
Value value_from_register(const CType& type, uint64_t reg);

}  // namespace etrace::decode
