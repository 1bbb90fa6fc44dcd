#include "tests/conformance/line_alignment.h"

#include <gtest/gtest.h>

namespace etrace::conformance {
namespace {

using Lines = std::vector<std::string>;

TEST(LineAlignment, EqualSequencesMatchWholly) {
  Lines same{"getpid() = P1", "close(3) = 0"};
  Comparison c = compare_lines(same, same);
  EXPECT_EQ(c.matched, 2u);
  EXPECT_EQ(c.strace_lines, 2u);
  EXPECT_EQ(c.etrace_lines, 2u);
  EXPECT_TRUE(c.mismatches.empty());
}

TEST(LineAlignment, SameCallWithOtherArgumentsIsOneMismatchWithBothLines) {
  Comparison c = compare_lines({"openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3", "close(3) = 0"},
                               {"openat(-100, 0x7ffff7ff30b1, 524288, 0) = 3", "close(3) = 0"});
  EXPECT_EQ(c.matched, 1u);
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0].name, "openat");
  EXPECT_EQ(c.mismatches[0].strace_line, "openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3");
  EXPECT_EQ(c.mismatches[0].etrace_line, "openat(-100, 0x7ffff7ff30b1, 524288, 0) = 3");
}

TEST(LineAlignment, CallsOnlyOneSideHasAreMismatchesWithAnEmptyOtherSide) {
  Comparison c = compare_lines({"getpid() = P1", "getuid() = 0", "close(3) = 0"}, {"getpid() = P1", "close(3) = 0",
                                                                                   "getgid() = 0"});
  EXPECT_EQ(c.matched, 2u);
  ASSERT_EQ(c.mismatches.size(), 2u);
  EXPECT_EQ(c.mismatches[0].name, "getuid");
  EXPECT_EQ(c.mismatches[0].etrace_line, "");
  EXPECT_EQ(c.mismatches[1].name, "getgid");
  EXPECT_EQ(c.mismatches[1].strace_line, "");
}

TEST(LineAlignment, EqualPairsWinOverPairsOfTheSameName) {
  // Pairing by name alone would pair the first reads and match nothing.
  Comparison c = compare_lines({"read(3, \"a\", 1) = 1", "read(3, \"b\", 1) = 1"}, {"read(3, \"b\", 1) = 1"});
  EXPECT_EQ(c.matched, 1u);
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0].strace_line, "read(3, \"a\", 1) = 1");
  EXPECT_EQ(c.mismatches[0].etrace_line, "");
}

TEST(LineAlignment, ThreadsPairByRankAndAThreadOnlyOneSideHasCountsAsMismatches) {
  NormalisedTrace s, e;
  s.threads = {{"getpid() = P1"}, {"getpid() = P2", "exit_group(0) = ?"}};
  e.threads = {{"getpid() = P1"}};
  Comparison c = compare_traces(s, e);
  EXPECT_EQ(c.strace_lines, 3u);
  EXPECT_EQ(c.etrace_lines, 1u);
  EXPECT_EQ(c.matched, 1u);
  EXPECT_EQ(c.mismatches.size(), 2u);
}

}  // namespace
}  // namespace etrace::conformance
