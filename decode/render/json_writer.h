// Writes one JSON object per line, straight into a string: the punctuation
// (braces, commas, colons, escapes) lives here so the JSON renderer only
// says which keys and values to write, in order. Faster than building a DOM
// per line, which matters for captures with millions of calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace etrace::decode {

class JsonLine {
 public:
  // A call's line, its context included, is under a kilobyte: one
  // allocation instead of several.
  JsonLine() {
    out_.reserve(1024);
    begin_object();
  }

  JsonLine& key(std::string_view name);
  JsonLine& begin_object();
  JsonLine& end_object();
  JsonLine& begin_array();
  JsonLine& end_array();

  // Numbers: only for what a double holds exactly (decode/JSON.md, Numbers).
  JsonLine& value(int64_t v);
  JsonLine& value(uint64_t v);
  JsonLine& value(int v) { return value(static_cast<int64_t>(v)); }
  JsonLine& value(uint32_t v) { return value(static_cast<uint64_t>(v)); }
  // A 64-bit integer as a string of its decimal digits, "-2", which no
  // reader rounds.
  JsonLine& digits(int64_t v);
  JsonLine& digits(uint64_t v);
  JsonLine& value(bool v);
  // value / 10^scale as a number with exactly `scale` decimals, computed
  // without floating point so that no digit is lost: decimal(-1234, 3) is
  // -1.234 (trace-event microseconds from nanoseconds, percentages).
  JsonLine& decimal(int64_t value, unsigned scale);
  // Strings are bytes; what is not valid UTF-8 becomes U+FFFD.
  JsonLine& value(std::string_view v);
  JsonLine& value(const char* v) { return value(std::string_view(v)); }
  JsonLine& null();
  // The value, or null when there is none.
  template <typename T>
  JsonLine& value_or_null(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }
  // A value already written as JSON (an object another JsonLine finished).
  JsonLine& raw(std::string_view json);

  // Closes the line's object and returns it with a trailing newline.
  const std::string& finish();

 private:
  template <typename Int>
  JsonLine& integer(Int v);
  template <typename Int>
  JsonLine& quoted_integer(Int v);
  void separate();

  std::string out_;
  bool need_comma_ = false;
};

// Appends `s` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);

}  // namespace etrace::decode
