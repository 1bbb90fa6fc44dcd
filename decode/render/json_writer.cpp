#include "decode/render/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace etrace::decode {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid
// (truncated, overlong, surrogate or past U+10FFFF).
size_t utf8_sequence(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t len;
  uint32_t cp;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xe0) == 0xc0) len = 2, cp = b0 & 0x1f;
  else if ((b0 & 0xf0) == 0xe0) len = 3, cp = b0 & 0x0f;
  else if ((b0 & 0xf8) == 0xf0) len = 4, cp = b0 & 0x07;
  else return 0;
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

// Bytes a JSON string holds as they are: printable ASCII but '"' and '\\'.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    // Copy runs that need no escaping in one go (keys, names, most values).
    size_t run = i;
    while (run < s.size() && kPlain[static_cast<unsigned char>(s[run])]) ++run;
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_sequence(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD for each byte that starts no valid sequence
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

void JsonLine::separate() {
  if (need_comma_) out_ += ',';
  need_comma_ = true;
}

JsonLine& JsonLine::key(std::string_view name) {
  // Keys are nearly always short names that need no escaping: the comma,
  // the quoted name and the colon go in with one append.
  char buf[64];
  if (name.size() <= sizeof(buf) - 4 &&
      std::all_of(name.begin(), name.end(), [](char c) { return kPlain[static_cast<unsigned char>(c)]; })) {
    size_t n = 0;
    if (need_comma_) buf[n++] = ',';
    buf[n++] = '"';
    std::memcpy(buf + n, name.data(), name.size());
    n += name.size();
    buf[n++] = '"';
    buf[n++] = ':';
    out_.append(buf, n);
  } else {
    separate();
    append_json_string(out_, name);
    out_ += ':';
  }
  need_comma_ = false;  // the value follows the colon directly
  return *this;
}

JsonLine& JsonLine::begin_object() {
  separate();
  out_ += '{';
  need_comma_ = false;
  return *this;
}

JsonLine& JsonLine::end_object() {
  out_ += '}';
  need_comma_ = true;
  return *this;
}

JsonLine& JsonLine::begin_array() {
  separate();
  out_ += '[';
  need_comma_ = false;
  return *this;
}

JsonLine& JsonLine::end_array() {
  out_ += ']';
  need_comma_ = true;
  return *this;
}

template <typename Int>
JsonLine& JsonLine::integer(Int v) {
  separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out_.append(buf, r.ptr);
  return *this;
}

template <typename Int>
JsonLine& JsonLine::quoted_integer(Int v) {
  separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out_ += '"';
  out_.append(buf, r.ptr);
  out_ += '"';
  return *this;
}

JsonLine& JsonLine::value(int64_t v) { return integer(v); }
JsonLine& JsonLine::value(uint64_t v) { return integer(v); }
JsonLine& JsonLine::digits(int64_t v) { return quoted_integer(v); }
JsonLine& JsonLine::digits(uint64_t v) { return quoted_integer(v); }

JsonLine& JsonLine::decimal(int64_t value, unsigned scale) {
  separate();
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  uint64_t unit = 1;
  for (unsigned i = 0; i < scale; ++i) unit *= 10;
  if (value < 0) out_ += '-';
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), magnitude / unit);
  out_.append(buf, r.ptr);
  if (scale == 0) return *this;
  std::string fraction = std::to_string(magnitude % unit);
  out_ += '.';
  out_.append(scale - fraction.size(), '0');
  out_ += fraction;
  return *this;
}

JsonLine& JsonLine::value(bool v) {
  separate();
  out_ += v ? "true" : "false";
  return *this;
}

JsonLine& JsonLine::value(std::string_view v) {
  separate();
  append_json_string(out_, v);
  return *this;
}

JsonLine& JsonLine::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonLine& JsonLine::raw(std::string_view json) {
  separate();
  out_.append(json);
  return *this;
}

const std::string& JsonLine::finish() {
  end_object();
  out_ += '\n';
  return out_;
}

}  // namespace etrace::decode
