// A ring buffer too small for a syscall storm: the kernel's losses are
// counted in the trailer and marked in place in the decoded stream, in text
// and in JSON, whatever the filters.
#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

TEST_F(LiveTest, LossesAreMarkedWhereTheyHappened) {
  const std::string out = file("storm.etrace");
  // 64K holds about a thousand calls' records; the storm makes 300 k calls.
  Outcome cap = capture({"--buffer-size", "64K", "-o", out, "--", kWorkload, "storm", "300000"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  auto total = closing_row(cap.err, "total");
  ASSERT_TRUE(total.has_value()) << cap.describe();
  const uint64_t lost = total->second;
  ASSERT_GT(lost, 0u) << "a 64K ring did not overflow under a 300 k call storm: " << cap.err;

  Outcome json = decode({out, "--json"});
  ASSERT_EQ(json.status, 0) << json.describe();
  EXPECT_NE(json.err.find("dropped " + std::to_string(lost) + " records"), std::string::npos)
      << "the decoder warns with the trailer's count: " << json.err;
  std::string error;
  auto events = parse_json_lines(json.out, error);
  ASSERT_EQ(error, "");
  uint64_t marked = 0, gaps = 0;
  for (const auto& e : events) {
    if (str_of(e, "kind") != "lost") continue;
    ++gaps;
    const auto count = int_of(e, "count");
    ASSERT_TRUE(count && *count > 0) << e.dump();
    marked += static_cast<uint64_t>(*count);
    const auto first = int_of(e, "first_ts_ns"), last = int_of(e, "last_ts_ns"), at = int_of(e, "ts_ns");
    ASSERT_TRUE(first && last && at) << e.dump();
    EXPECT_LE(*first, *last) << e.dump();
    EXPECT_LE(*last, *at) << "a gap is marked after it happened: " << e.dump();
  }
  EXPECT_GT(gaps, 0u);
  // Every lost record is in a marked gap (gaps still open at the end are
  // marked when capture stops), unless the kernel skipped a program run.
  const auto skipped = closing_row(cap.err, "(skipped by the kernel)");
  EXPECT_EQ(marked + (skipped ? skipped->second : 0), lost);

  // Text shows the same gaps, and a filter does not hide them.
  Outcome text = decode({out, "--syscall", "getpid"});
  ASSERT_EQ(text.status, 0) << text.describe();
  size_t lines = 0;
  for (const auto& line : lines_of(text.out))
    if (line.rfind("--- lost ", 0) == 0) ++lines;
  EXPECT_EQ(lines, gaps);
}

}  // namespace
}  // namespace etrace::live
