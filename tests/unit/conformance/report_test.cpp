#include "tests/conformance/report.h"

#include <gtest/gtest.h>

namespace etrace::conformance {
namespace {

Comparison counts(size_t strace_lines, size_t matched) {
  Comparison c;
  c.strace_lines = strace_lines;
  c.etrace_lines = strace_lines;
  c.matched = matched;
  return c;
}

TEST(Report, FloorsRoundTheRateDownToFivePercent) {
  EXPECT_EQ(suggested_floor(counts(20, 7)), 35);  // exactly 35%
  EXPECT_EQ(suggested_floor(counts(100, 69)), 65);
  EXPECT_EQ(suggested_floor(counts(3, 1)), 30);  // 33.3%
  EXPECT_EQ(suggested_floor(counts(10, 0)), 0);
  EXPECT_DOUBLE_EQ(match_percent(counts(0, 0)), 100.0);
}

TEST(Report, ParsesFloorsWithComments) {
  std::string error;
  auto floors = parse_floors("# header\nfiles 35\n\n  ls 5  # the loader's lines\n", error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(floors, (std::map<std::string, int>{{"files", 35}, {"ls", 5}}));
}

TEST(Report, NamesAFloorLineItCannotRead) {
  for (const char* bad : {"files\n", "files many\n", "files 35 40\n", "files 101\n"}) {
    std::string error;
    parse_floors(std::string("ls 5\n") + bad, error);
    EXPECT_NE(error.find("floors line 2"), std::string::npos) << bad;
  }
}

TEST(Report, ShowsRatesSuggestedFloorsAndTheFirstExampleOfEachCall) {
  ProgramResult r{"files", counts(4, 1)};
  r.comparison.mismatches = {{"openat", "openat(AT_FDCWD, \"a\", O_RDONLY) = 3", "openat(-100, 0x1, 0, 0) = 3"},
                             {"openat", "openat(AT_FDCWD, \"b\", O_RDONLY) = 4", "openat(-100, 0x2, 0, 0) = 4"},
                             {"getuid", "getuid() = 0", ""}};
  const std::string text = format_report({r}, {{"files", 20}});
  EXPECT_NE(text.find("files                 4        4        1   25.0%    20%\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nfiles 25\n"), std::string::npos) << text;
  EXPECT_NE(text.find("openat x2\n  strace: openat(AT_FDCWD, \"a\", O_RDONLY) = 3\n  etrace: openat(-100, 0x1, 0, 0) = 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("getuid x1\n  strace: getuid() = 0\n  etrace: (no such line)\n"), std::string::npos) << text;
  EXPECT_LT(text.find("openat x2"), text.find("getuid x1")) << "the most frequent first";
}

}  // namespace
}  // namespace etrace::conformance
