#include "decode/values/string_quote.h"

namespace etrace::decode {
namespace {

bool printable(unsigned char c) { return c >= 0x20 && c <= 0x7e; }
// \t \n \v \f \r: the whitespace -x leaves readable.
bool whitespace(unsigned char c) { return c >= '\t' && c <= '\r'; }
bool octal_digit(char c) { return c >= '0' && c <= '7'; }

bool wants_hex(std::string_view bytes, HexStyle hex) {
  switch (hex) {
    case HexStyle::kNone: return false;
    case HexStyle::kAll: return true;
    case HexStyle::kNonAscii:
      for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (!printable(c) && !whitespace(c)) return true;
      }
      return false;
  }
  return false;
}

void append_hex(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

// Octal with the fewest digits, or three when a digit follows.
void append_octal(std::string& out, unsigned char c, bool digit_follows) {
  out += '\\';
  if (digit_follows || c >= 0100) out += static_cast<char>('0' + (c >> 6));
  if (digit_follows || c >= 010) out += static_cast<char>('0' + ((c >> 3) & 7));
  out += static_cast<char>('0' + (c & 7));
}

}  // namespace

void append_quoted(std::string& out, std::string_view bytes, HexStyle hex) {
  const bool all_hex = wants_hex(bytes, hex);
  out += '"';
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (all_hex) {
      append_hex(out, c);
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\v': out += "\\v"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (printable(c)) out += static_cast<char>(c);
        else append_octal(out, c, i + 1 < bytes.size() && octal_digit(bytes[i + 1]));
    }
  }
  out += '"';
}

void append_hex_escaped(std::string& out, std::string_view bytes) {
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (printable(c) && c != '\\') out += ch;
    else append_hex(out, c);
  }
}

}  // namespace etrace::decode
