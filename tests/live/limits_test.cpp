// Capture limits and rotation: --max-events, --max-size, --rotate-size and
// --rotate-count on real runs of the workload, and the combinations that
// etrace-capture refuses.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

// The records a file's statistics trailer says it holds, from
// "capture: N records written, M lost" in etrace-decode --stats.
std::optional<uint64_t> trailer_records(const std::string& stats_output) {
  for (const auto& line : lines_of(stats_output)) {
    unsigned long long n = 0;
    if (std::sscanf(line.c_str(), "capture: %llu records written", &n) == 1) return n;
  }
  return std::nullopt;
}

// The numbers k of the files named BASE.k in `dir`, in order.
std::vector<uint64_t> rotated_files(const std::string& dir, const std::string& base) {
  std::vector<uint64_t> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(base + ".", 0) != 0) continue;
    const std::string suffix = name.substr(base.size() + 1);
    const bool number = !suffix.empty() && std::all_of(suffix.begin(), suffix.end(), [](char c) {
      return c >= '0' && c <= '9';
    });
    if (number) out.push_back(std::stoull(suffix));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Getpid calls that returned: each call is counted once even when its entry
// and its exit are in different files.
size_t returned_getpids(const std::vector<Json>& events) {
  return select(events, [](const Json& e) { return is_call(e, "getpid") && int_of(e, "ret").has_value(); }).size();
}

TEST_F(LiveTest, MaxEventsStopsAtTheLimit) {
  // 5 rounds of getpid: far more than 3000 records, so the limit stops it.
  constexpr uint64_t kLimit = 3000;
  const std::string out = file("limited.etrace");
  Outcome cap = capture({"--max-events", std::to_string(kLimit), "-o", out, "--", kWorkload, "ticks", "5"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  EXPECT_NE(cap.err.find("stopped (event limit reached)"), std::string::npos) << cap.describe();
  // The writer takes no record past the limit: exactly N are written.
  auto total = closing_row(cap.err, "total");
  ASSERT_TRUE(total.has_value()) << cap.describe();
  EXPECT_EQ(total->first, kLimit) << cap.describe();
  const auto events = decode_json(out);
  EXPECT_FALSE(calls(events, "getpid").empty());
  Outcome stats = decode({out, "--stats"});
  EXPECT_EQ(stats.status, 0) << stats.describe();
  EXPECT_EQ(trailer_records(stats.out), kLimit) << stats.out;
}

TEST_F(LiveTest, MaxSizeStopsNearTheLimit) {
  constexpr uint64_t kLimit = 100 << 10;
  const std::string out = file("limited.etrace");
  Outcome cap = capture({"--max-size", "100K", "-o", out, "--", kWorkload, "ticks", "30"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  EXPECT_NE(cap.err.find("stopped (size limit reached)"), std::string::npos) << cap.describe();
  const uint64_t size = std::filesystem::file_size(out);
  EXPECT_GE(size, kLimit);
  // Past the limit: at most the frame that crossed it (no more than 100K of
  // raw records, plus one record and the block's framing) and the trailer.
  EXPECT_LE(size, kLimit + kLimit + (64 << 10) + (8 << 10)) << cap.describe();
  EXPECT_FALSE(calls(decode_json(out), "getpid").empty());
}

TEST_F(LiveTest, RotatedFilesEachDecodeAlone) {
  // 30 rounds of 1000 getpid calls: about 3 MB of records.
  const std::string base = file("rot.etrace");
  Outcome cap = capture({"--rotate-size", "64K", "-o", base, "--", kWorkload, "ticks", "30"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  EXPECT_FALSE(std::filesystem::exists(base)) << "rotation writes only FILE.k";
  const auto files = rotated_files(dir_.path(), "rot.etrace");
  ASSERT_GE(files.size(), 3u) << cap.describe();
  for (size_t k = 0; k < files.size(); ++k) EXPECT_EQ(files[k], k) << "numbered from 0, without gaps";
  auto total = closing_row(cap.err, "total");
  auto getpid = closing_row(cap.err, "getpid");
  ASSERT_TRUE(total && getpid) << cap.describe();

  uint64_t records = 0;
  size_t getpids = 0;
  for (uint64_t k : files) {
    const std::string f = base + "." + std::to_string(k);
    SCOPED_TRACE(f);
    // Alone: exit 0 and no warning (no truncation, trailer present).
    getpids += returned_getpids(decode_json(f));
    Outcome stats = decode({f, "--stats"});
    EXPECT_EQ(stats.status, 0) << stats.describe();
    auto n = trailer_records(stats.out);
    ASSERT_TRUE(n.has_value()) << "every file has its statistics trailer: " << stats.out;
    EXPECT_GT(*n, 0u);
    records += *n;
  }
  EXPECT_EQ(records, total->first) << "the files' trailers add up to the closing table";
  if (getpid->second == 0) {
    EXPECT_GE(getpids, static_cast<size_t>(30 * kGetpids));  // and the one for "ready PID"
    EXPECT_EQ(2 * getpids, getpid->first) << "every getpid call, once, across the files";
  }
}

TEST_F(LiveTest, RotateCountKeepsTheNewestFiles) {
  const std::string base = file("rot.etrace");
  Outcome cap =
      capture({"-q", "--rotate-size", "64K", "--rotate-count", "2", "-o", base, "--", kWorkload, "ticks", "30"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  const auto files = rotated_files(dir_.path(), "rot.etrace");
  ASSERT_EQ(files.size(), 2u) << cap.describe();
  EXPECT_GE(files[0], 1u) << "older files were removed";
  EXPECT_EQ(files[1], files[0] + 1) << "the two newest are kept";
  for (uint64_t k : files) decode_json(base + "." + std::to_string(k));
}

TEST_F(LiveTest, BadLimitCombinationsAreRefused) {
  const std::string out = file("refused.etrace");
  const std::vector<std::vector<std::string>> refused = {
      {"--rotate-size", "64K", "--", kWorkload, "run"},             // no -o
      {"--rotate-size", "64K", "-o", "-", "--", kWorkload, "run"},  // standard output
      {"--rotate-count", "2", "-o", out, "--", kWorkload, "run"},   // count without size
      {"--rotate-size", "64K", "--max-size", "1M", "-o", out, "--", kWorkload, "run"},
      {"--max-events", "0", "-o", out, "--", kWorkload, "run"},
      {"--max-size", "12Q", "-o", out, "--", kWorkload, "run"},
      {"--rotate-size", "-1", "-o", out, "--", kWorkload, "run"},
  };
  for (const auto& args : refused) {
    std::string line;
    for (const auto& a : args) line += a + " ";
    SCOPED_TRACE(line);
    Outcome o = capture(args);
    EXPECT_EQ(o.status, 2) << o.describe();
    const auto lines = lines_of(o.err);
    ASSERT_EQ(lines.size(), 1u) << "one sentence: " << o.describe();
    EXPECT_EQ(lines[0].rfind("etrace-capture: ", 0), 0u) << o.err;
    EXPECT_EQ(o.out, "");
  }
  EXPECT_TRUE(rotated_files(dir_.path(), "refused.etrace").empty()) << "nothing was created";
  EXPECT_FALSE(std::filesystem::exists(out)) << "nothing was created";
}

}  // namespace
}  // namespace etrace::live
