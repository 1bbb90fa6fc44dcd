// The JSON line writer, checked against an independent JSON parser.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "decode/render/json_writer.h"

using etrace::decode::append_json_string;
using etrace::decode::JsonLine;

namespace {

std::string json_quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

}  // namespace

TEST(JsonWriter, Punctuation) {
  JsonLine j;
  j.key("a").value(int64_t{-1});
  j.key("b").begin_object();
  j.key("c").value(uint64_t{18446744073709551615ull});
  j.key("d").null();
  j.end_object();
  j.key("e").value(true);
  j.key("f").begin_object().end_object();
  EXPECT_EQ(j.finish(), "{\"a\":-1,\"b\":{\"c\":18446744073709551615,\"d\":null},\"e\":true,\"f\":{}}\n");
}

TEST(JsonWriter, DecimalsAreExact) {
  JsonLine j;
  j.key("a").decimal(1234, 3);
  j.key("b").decimal(-5, 3);
  j.key("c").decimal(1795316400000001234, 3);  // past 2^53: a double would round it
  j.key("d").decimal(7692, 2);
  j.key("e").decimal(INT64_MIN, 0);
  EXPECT_EQ(j.finish(), "{\"a\":1.234,\"b\":-0.005,\"c\":1795316400000001.234,\"d\":76.92,"
                        "\"e\":-9223372036854775808}\n");
}

TEST(JsonWriter, Escapes) {
  EXPECT_EQ(json_quoted("plain"), "\"plain\"");
  EXPECT_EQ(json_quoted("q\"b\\"), "\"q\\\"b\\\\\"");
  EXPECT_EQ(json_quoted("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"");
  EXPECT_EQ(json_quoted(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(json_quoted(std::string("a\0b", 3)), "\"a\\u0000b\"");
}

TEST(JsonWriter, Utf8PassesAndInvalidBytesAreReplaced) {
  EXPECT_EQ(json_quoted("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  EXPECT_EQ(json_quoted("a\xFF" "b"), "\"a\xEF\xBF\xBD" "b\"");
  EXPECT_EQ(json_quoted("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");        // overlong '/'
  EXPECT_EQ(json_quoted("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
  EXPECT_EQ(json_quoted("x\xE2\x82"), "\"x\xEF\xBF\xBD\xEF\xBF\xBD\"");     // cut short
}

TEST(JsonWriter, EveryByteStringParses) {
  // Each 16-byte comm with every byte value must give a line a strict
  // parser accepts.
  for (int b = 0; b < 256; ++b) {
    std::string s(16, static_cast<char>(b));
    s[3] = 'x';
    JsonLine j;
    j.key("comm").value(s);
    const std::string& line = j.finish();
    EXPECT_FALSE(nlohmann::json::parse(line, nullptr, false).is_discarded()) << b << ": " << line;
  }
}
