// --stats pieces: the latency histogram's percentiles against exact ones,
// its log2 buckets, bpftrace's drawing, the sort orders, filters, and the
// JSON report against the same capture's text.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <random>

#include <nlohmann/json.hpp>

#include "decode/render/histogram_text.h"
#include "decode/render/latency_histogram.h"
#include "decode/render/stats_json.h"
#include "decode/render/stats_report.h"
#include "decode_helpers.h"
#include "decoder_run.h"

namespace etrace::test {
namespace {

using decode::LatencyHistogram;
using decode::StatsSort;


// Nearest rank on the sorted values: the definition the histogram approximates.
uint64_t exact_percentile(std::vector<uint64_t> sorted, double p) {
  std::sort(sorted.begin(), sorted.end());
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::max<size_t>(rank, 1) - 1];
}

TEST(LatencyHistogram, ExactBelow256Nanoseconds) {
  LatencyHistogram h;
  std::vector<uint64_t> values;
  for (uint64_t v = 0; v < 256; ++v)
    for (uint64_t k = 0; k <= v % 3; ++k) {
      h.add(v);
      values.push_back(v);
    }
  for (double p : {0.5, 1.0, 25.0, 50.0, 75.0, 99.0, 100.0}) EXPECT_EQ(h.percentile(p), exact_percentile(values, p)) << p;
}

TEST(LatencyHistogram, PercentilesWithinOnePart128AboveTheExactValue) {
  std::mt19937_64 rng(42);
  // Log-uniform from 1 ns to about 17 s, as syscall latencies spread.
  std::uniform_real_distribution<double> exponent(0.0, 34.0);
  LatencyHistogram h;
  std::vector<uint64_t> values;
  uint64_t total = 0;
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<uint64_t>(std::exp2(exponent(rng)));
    h.add(v);
    values.push_back(v);
    total += v;
  }
  EXPECT_EQ(h.count(), values.size());
  EXPECT_EQ(h.total_ns(), total);
  EXPECT_EQ(h.min_ns(), *std::min_element(values.begin(), values.end()));
  EXPECT_EQ(h.max_ns(), *std::max_element(values.begin(), values.end()));
  for (double p : {0.1, 1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    const uint64_t exact = exact_percentile(values, p);
    const uint64_t got = h.percentile(p);
    EXPECT_GE(got, exact) << "p" << p;
    EXPECT_LE(got - exact, exact / 128) << "p" << p << ": " << got << " against " << exact;
  }
  EXPECT_EQ(h.percentile(100), h.max_ns());
}

TEST(LatencyHistogram, MergeIsAddingEveryValue) {
  LatencyHistogram a, b, both;
  for (uint64_t v : {3ull, 900ull, 70000ull}) {
    a.add(v);
    both.add(v);
  }
  for (uint64_t v : {1ull, 5'000'000'000ull}) {
    b.add(v);
    both.add(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), both.count());
  EXPECT_EQ(a.total_ns(), both.total_ns());
  EXPECT_EQ(a.min_ns(), 1u);
  EXPECT_EQ(a.max_ns(), 5'000'000'000u);
  EXPECT_EQ(a.log2_counts(), both.log2_counts());
  for (double p : {20.0, 40.0, 60.0, 80.0, 100.0}) EXPECT_EQ(a.percentile(p), both.percentile(p));
}

TEST(LatencyHistogram, Log2CountsArePowersOfTwo) {
  LatencyHistogram h;
  std::vector<uint64_t> expected(40);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    const uint64_t v = rng() >> (rng() % 38 + 26);  // 0 .. 2^38
    h.add(v);
    // [0] is 0, [1] is 1, [k + 1] is [2^k, 2^(k+1)).
    size_t slot = 0;
    while (slot < 64 && (uint64_t{1} << slot) <= v) ++slot;
    expected[slot]++;
  }
  auto got = h.log2_counts();
  got.resize(expected.size());
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(LatencyHistogram().log2_counts().empty());
}

TEST(HistogramText, DrawnAsBpftraceHist) {
  // Slots 3..6 are [4, 8) .. [32, 64); 0 to 2 are empty and not drawn, and
  // the bars scale to the largest count: 5/41 of 52 is 6 '@', 10/41 is 12.
  EXPECT_EQ(decode::log2_histogram_text({0, 0, 0, 5, 41, 0, 10, 0}),
            "[4, 8)                 5 |@@@@@@                                              |\n"
            "[8, 16)               41 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[16, 32)               0 |                                                    |\n"
            "[32, 64)              10 |@@@@@@@@@@@@                                        |\n");
  std::vector<uint64_t> big(23);
  big[0] = 1;
  big[1] = 1;
  big[11] = 1;  // [1K, 2K)
  big[22] = 2;  // [2M, 4M)
  const std::string drawn = decode::log2_histogram_text(big);
  EXPECT_EQ(drawn.substr(0, drawn.find('\n')), "[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |");
  EXPECT_NE(drawn.find("\n[1]                    1 |"), std::string::npos) << drawn;
  EXPECT_NE(drawn.find("\n[1K, 2K)               1 |"), std::string::npos) << drawn;
  EXPECT_NE(drawn.find("\n[512K, 1M)             0 |"), std::string::npos) << drawn;
  EXPECT_NE(drawn.find("\n[2M, 4M)               2 |@@@@"), std::string::npos) << drawn;
  EXPECT_EQ(decode::log2_histogram_text({0, 0}), "");
}

// Three syscalls whose order differs by every key: read has the most
// calls, write the most time, openat the most errors and the slowest p99.
CaptureBuilder three_syscalls() {
  auto b = standard_capture();
  uint64_t t = 0;
  auto call = [&](uint16_t nr, uint64_t ns, int64_t ret) {
    b.enter(t, 100, 100, nr, {3, kBuf, 1, 0, 0, 0});
    b.exit(t + ns, 100, 100, nr, ret);
    t += ns + 10;
  };
  for (int i = 0; i < 10; ++i) call(kRead, 10, 1);
  for (int i = 0; i < 4; ++i) call(kWrite, 1000, 1);
  call(kOpenat, 3000, -2);
  call(kOpenat, 10, -2);
  call(kOpenat, 10, -13);
  return b;
}

std::vector<std::string> order(const std::string& stats_text) {
  std::vector<std::string> names;
  std::istringstream in(stats_text);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  while (std::getline(in, line) && line[0] != '-') names.push_back(line.substr(line.rfind(' ') + 1));
  return names;
}

std::string stats_of(const std::string& file, StatsSort sort, bool json = false,
                     std::vector<std::string> histograms = {}, decode::EventFilter filter = {}) {
  return decode(file, Mode::kStats, {}, filter, nullptr, decode::StatsOptions{true, json, sort, std::move(histograms)});
}

TEST(StatsSorting, EveryKeyOrdersTheTable) {
  const std::string file = three_syscalls().build();
  EXPECT_EQ(order(stats_of(file, StatsSort::kTime)), (std::vector<std::string>{"write", "openat", "read"}));
  EXPECT_EQ(order(stats_of(file, StatsSort::kCalls)), (std::vector<std::string>{"read", "write", "openat"}));
  EXPECT_EQ(order(stats_of(file, StatsSort::kErrors)), (std::vector<std::string>{"openat", "read", "write"}));
  EXPECT_EQ(order(stats_of(file, StatsSort::kName)), (std::vector<std::string>{"openat", "read", "write"}));
  EXPECT_EQ(order(stats_of(file, StatsSort::kP99)), (std::vector<std::string>{"openat", "write", "read"}));
  EXPECT_EQ(decode::parse_stats_sort("p99"), StatsSort::kP99);
  EXPECT_EQ(decode::parse_stats_sort("size"), std::nullopt);
}

TEST(StatsErrors, ByErrnoWithTheSyscallsThatReturnedThem) {
  const std::string text = stats_of(three_syscalls().build(), StatsSort::kTime);
  EXPECT_NE(text.find("\nerrno                count syscalls\n"
                      "ENOENT                   2 openat 2\n"
                      "EACCES                   1 openat 1\n"),
            std::string::npos)
      << text;
}

TEST(StatsFilter, OnlyTheSelectedProcessIsCounted) {
  auto b = standard_capture();
  b.enter(0, 100, 100, kRead, {0, kBuf, 1, 0, 0, 0});
  b.exit(50, 100, 100, kRead, 1);
  b.enter(60, 200, 200, kRead, {0, kBuf, 1, 0, 0, 0});
  b.exit(90, 200, 200, kRead, 1);
  b.enter(100, 200, 200, kWrite, {1, kBuf, 1, 0, 0, 0});
  b.exit(120, 200, 200, kWrite, 1);
  decode::EventFilter filter;
  filter.pids.insert(200);
  const auto j = nlohmann::json::parse(stats_of(b.build(), StatsSort::kName, true, {}, filter));
  ASSERT_EQ(j["syscalls"].size(), 2u) << j.dump();
  EXPECT_EQ(j["syscalls"][0]["syscall"], "read");
  EXPECT_EQ(j["syscalls"][0]["calls"], 1);
  EXPECT_EQ(j["syscalls"][0]["total_ns"], "30");
  EXPECT_EQ(j["total"]["calls"], 2);
  ASSERT_EQ(j["processes"].size(), 1u);
  EXPECT_EQ(j["processes"][0]["pid"], 200);
}

// The JSON carries what the text shows, for the same capture.
TEST(StatsJson, SameContentAsTheText) {
  auto b = three_syscalls();
  b.loss(20000, 1, 5, 19000, 19500);
  b.stats.syscalls[kRead] = {20, 3};
  b.stats.cpus[1] = {5, 19000, 19500};
  b.capture.start_ns = 0;
  b.stats.end_ns = 2'000'000'000;
  const std::string file = b.build();
  const auto j = nlohmann::json::parse(stats_of(file, StatsSort::kTime, true, {"openat"}));
  EXPECT_EQ(j["sort"], "time");
  ASSERT_EQ(j["syscalls"].size(), 3u);
  const auto& openat = j["syscalls"][1];
  EXPECT_EQ(openat["syscall"], "openat");
  EXPECT_EQ(openat["calls"], 3);
  EXPECT_EQ(openat["errors"], 3);
  EXPECT_EQ(openat["timed"], 3);
  // Nanoseconds are 64-bit: decimal strings.
  EXPECT_EQ(openat["total_ns"], "3020");
  EXPECT_EQ(openat["avg_ns"], "1006");
  EXPECT_EQ(openat["p50_ns"], "10");
  EXPECT_EQ(openat["max_ns"], "3000");
  EXPECT_EQ(openat["p99_ns"], "3000");
  // 3020 of 7120 ns.
  EXPECT_DOUBLE_EQ(openat["time_pct"].get<double>(), 42.42);
  EXPECT_EQ(j["total"]["calls"], 17);
  EXPECT_EQ(j["total"]["errors"], 3);
  EXPECT_EQ(j["total"]["total_ns"], std::to_string(100 + 4000 + 3020));
  EXPECT_EQ(j["errors"][0]["errno"], "ENOENT");
  EXPECT_EQ(j["errors"][0]["syscalls"]["openat"], 2);
  EXPECT_EQ(j["lost"]["known"], true);
  EXPECT_EQ(j["lost"]["records"], 3);
  EXPECT_EQ(j["lost"]["syscalls"]["read"], 3);
  ASSERT_EQ(j["lost"]["cpus"].size(), 1u);
  EXPECT_EQ(j["lost"]["cpus"][0]["cpu"], 1);
  EXPECT_EQ(j["lost"]["cpus"][0]["lost"], 5);
  EXPECT_EQ(j["lost"]["cpus"][0]["gaps"], 1);
  EXPECT_EQ(j["capture"]["duration_ns"], "2000000000");
  EXPECT_EQ(j["capture"]["duration_from"], "capture");
  EXPECT_EQ(j["capture"]["calls_per_s"], 9);  // 17 calls in 2 s, rounded
  // openat's durations 10, 10 and 3000 ns: [8, 16) twice, [2K, 4K) once.
  EXPECT_EQ(j["histograms"]["openat"],
            nlohmann::json::parse(R"([{"low_ns":"8","end_ns":"16","count":2},{"low_ns":"2048","end_ns":"4096","count":1}])"));

  const std::string text = stats_of(file, StatsSort::kTime, false, {"openat"});
  EXPECT_NE(text.find(" 42.42    0.000003       1.006         3         3       0.010       3.000       3.000 openat\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n@ns[openat]:\n[8, 16)                2 |"), std::string::npos) << text;
  EXPECT_NE(text.find("\nduration: 2.000000 s (capture start to stop); "), std::string::npos) << text;
}

// Through etrace-decode itself: the options, and what it refuses.
TEST(StatsCli, SortHistogramAndTheirMistakes) {
  const std::string file = three_syscalls().build();
  DecoderRun r = run_decoder(file, "--stats --sort calls");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(order(r.out), (std::vector<std::string>{"read", "write", "openat"}));

  // --histogram alone: only the drawing. write's 4 calls of 1 µs: [512, 1K).
  r = run_decoder(file, "--histogram write");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "@ns[write]:\n[512, 1K)              4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");

  r = run_decoder(file, "--stats --sort size");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--sort: no order named size"), std::string::npos) << r.err;
  r = run_decoder(file, "--histogram getdents64");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no syscall named getdents64"), std::string::npos) << r.err;
  r = run_decoder(file, "--histogram read --json");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--stats --json"), std::string::npos) << r.err;
  r = run_decoder(file, "--sort calls");
  EXPECT_NE(r.status, 0) << "--sort needs --stats";
}

TEST(StatsCli, PerfettoWritesItsFile) {
  const std::string path = "/tmp/etrace-stats-test-" + std::to_string(getpid()) + ".json";
  DecoderRun r = run_decoder(three_syscalls().build(), "--perfetto " + path);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  const auto trace = nlohmann::json::parse(slurp(path));
  std::remove(path.c_str());
  size_t slices = 0;
  for (const auto& e : trace["traceEvents"]) slices += e["ph"] == "X";
  EXPECT_EQ(slices, 17u);
  EXPECT_NE(run_decoder(three_syscalls().build(), "--perfetto " + path + " --stats").status, 0);
}

}  // namespace
}  // namespace etrace::test
