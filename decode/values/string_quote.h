// Bytes from the traced process as strace writes them: between double
// quotes, printable ASCII as itself, C escapes for the rest. The -x and -xx
// styles switch to \xHH as strace does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace etrace::decode {

enum class HexStyle : uint8_t {
  kNone,      // octal escapes for what is not printable
  kNonAscii,  // -x: the whole string in hex when it holds a byte that is neither printable nor whitespace
  kAll,       // -xx: every byte in hex
};

// Appends `bytes` quoted. strace's rules: \t \n \v \f \r \\ \" by name;
// other bytes outside 0x20..0x7e in octal with as few digits as possible,
// unless the next byte shown is an octal digit, which would be read as part
// of the escape ("\1" then "9" is "\19", but "\1" then "7" is "\0017").
void append_quoted(std::string& out, std::string_view bytes, HexStyle hex);

// Appends `bytes` unquoted, lossless and simple to undo, for machines:
// printable ASCII as itself except the backslash, every other byte \xHH.
void append_hex_escaped(std::string& out, std::string_view bytes);

}  // namespace etrace::decode
