#include "common/command_line.h"

#include <gtest/gtest.h>

namespace etrace {
namespace {

TEST(ParseDuration, UnitsScaleToSeconds) {
  EXPECT_DOUBLE_EQ(*parse_duration("5"), 5.0);
  EXPECT_DOUBLE_EQ(*parse_duration("5s"), 5.0);
  EXPECT_DOUBLE_EQ(*parse_duration("250ms"), 0.25);
  EXPECT_DOUBLE_EQ(*parse_duration("1.5s"), 1.5);
  EXPECT_DOUBLE_EQ(*parse_duration("2m"), 120.0);
  EXPECT_DOUBLE_EQ(*parse_duration("1h"), 3600.0);
}

TEST(ParseDuration, RefusesWhatIsNotAPositiveTime) {
  for (const char* bad : {"", "s", "0", "-1", "5x", "5 s", "1e999", "nan", "inf", "5sec"}) {
    auto d = parse_duration(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_NE(d.error().message.find(std::string("'") + bad + "'"), std::string::npos) << d.error().message;
  }
}

TEST(ParseQualifier, TraceAndStatusSetsAppend) {
  Qualifiers q;
  ASSERT_TRUE(parse_qualifier("trace=openat,close", q));
  ASSERT_TRUE(parse_qualifier("read", q));  // a bare set is trace=
  ASSERT_TRUE(parse_qualifier("status=failed", q));
  EXPECT_EQ(q.trace, (std::vector<std::string>{"openat", "close", "read"}));
  EXPECT_EQ(q.status, (std::vector<std::string>{"failed"}));
}

TEST(ParseQualifier, UnknownQualifierAndEmptySetAreRefused) {
  Qualifiers q;
  auto unknown = parse_qualifier("abbrev=none", q);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("abbrev="), std::string::npos);
  EXPECT_FALSE(parse_qualifier("trace=", q));
  EXPECT_TRUE(q.trace.empty());
}

}  // namespace
}  // namespace etrace
