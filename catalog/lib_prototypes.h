// Prototypes of library functions: what each argument and the return value
// are, so that capture knows what to copy and decode how to show it. The
// grammar is a C declaration with a few types (format/libc_prototypes.txt
// describes it): "string getenv(string name)".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace etrace::catalog {

enum class LibType : uint8_t {
  kVoid,     // return only
  kInt,      // 32-bit signed
  kUint,     // 32-bit unsigned
  kLong,     // 64-bit signed
  kUlong,    // 64-bit unsigned
  kChar,     // an int shown as a character
  kHex,      // an integer in hexadecimal
  kPointer,  // an address
  kString,   // a NUL-terminated string, copied
  kBuffer,   // bytes, copied; their length from another argument or the return value
};

struct LibParam {
  LibType type = LibType::kHex;
  std::string name;                   // empty for the return value
  bool out = false;                   // written by the function: copied at return
  std::optional<uint8_t> length_arg;  // kBuffer: the argument holding the length...
  bool length_ret = false;            // ... or the return value
};

struct LibPrototype {
  std::string name;
  LibParam ret;
  std::vector<LibParam> params;  // at most six: the argument registers
  bool variadic = false;

  // The declaration in the grammar it was parsed from, normalised.
  std::string text() const;
};

// One declaration, or why it is not one.
Result<LibPrototype> parse_prototype(std::string_view line);

// Every declaration of a file's text, by function name; blank lines and
// '#' comments are skipped. A line that does not parse is named in `errors`.
std::map<std::string, LibPrototype> parse_prototypes(std::string_view text, std::vector<std::string>& errors);

// The prototypes built into etrace (format/libc_prototypes.txt), and that
// file's text.
const std::map<std::string, LibPrototype>& builtin_prototypes();
std::string_view builtin_prototypes_text();

}  // namespace etrace::catalog
