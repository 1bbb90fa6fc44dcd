// --perfetto: trace-event JSON with tracks named from comm, a slice per
// call, instants for process events, gaps and calls without their entry.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "decode_helpers.h"

namespace etrace::test {
namespace {

using nlohmann::json;


json timeline(const std::string& file) { return json::parse(decode(file, Mode::kPerfetto)); }

std::vector<json> named(const json& trace, const std::string& ph, const std::string& name) {
  std::vector<json> out;
  for (const auto& e : trace["traceEvents"])
    if (e["ph"] == ph && e["name"] == name) out.push_back(e);
  return out;
}

TEST(PerfettoOutput, TracksSlicesAndInstants) {
  auto b = standard_capture();
  b.capture.start_ns = 500;
  b.stats.end_ns = 9000;
  b.task(600, 300, 300, 1, "sh");
  fork_a_writer(b);
  b.exec(1700, 301, 301, 301, "ls");
  b.exit(1800, 300, 300, kLseek, 7);  // its entry predates the capture
  b.enter(2000, 300, 300, kRead, {0, kBuf, 10, 0, 0, 0});  // still blocked at the end
  b.loss(2500, 1, 4, 2100, 2400);
  b.enter(3000, 301, 301, kExitGroup, {2, 0, 0, 0, 0, 0});
  b.task_exit(3500, 301, 301, 2 << 8, true);
  const json trace = timeline(b.build());

  EXPECT_EQ(trace["displayTimeUnit"], "ns");
  ASSERT_TRUE(trace["traceEvents"].is_array());

  // Tracks: named from comm when first seen, renamed by exec.
  auto threads = named(trace, "M", "thread_name");
  std::vector<std::pair<int, std::string>> names;
  for (const auto& t : threads) names.emplace_back(t["tid"].get<int>(), t["args"]["name"].get<std::string>());
  EXPECT_EQ(names, (std::vector<std::pair<int, std::string>>{{300, "sh"}, {301, "sh"}, {301, "ls"}}));
  auto processes = named(trace, "M", "process_name");
  ASSERT_EQ(processes.size(), 3u);
  EXPECT_EQ(processes[2]["pid"], 301);
  EXPECT_EQ(processes[2]["args"]["name"], "ls");

  // A completed call: microseconds since the capture's start, ns as decimals.
  auto writes = named(trace, "X", "write");
  ASSERT_EQ(writes.size(), 1u);
  const json& w = writes[0];
  EXPECT_EQ(w["pid"], 301);
  EXPECT_EQ(w["tid"], 301);
  EXPECT_DOUBLE_EQ(w["ts"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(w["dur"].get<double>(), 0.1);
  EXPECT_EQ(w["args"]["call"].get<std::string>().rfind("write(1, ", 0), 0u) << w.dump();
  EXPECT_TRUE(w["args"]["call"].get<std::string>().ends_with(", 3) = 3")) << w.dump();
  // Values as in JSON Lines.
  EXPECT_EQ(w["args"]["args"]["fd"], nlohmann::json::parse(R"({"value":1,"text":"1"})"));
  EXPECT_EQ(w["args"]["args"]["count"], "3");
  EXPECT_EQ(w["args"]["ret"], "3");
  EXPECT_TRUE(w["args"]["errno"].is_null());
  EXPECT_FALSE(w["args"].contains("unfinished"));

  // clone is the parent's slice; the child's return is not a call.
  auto clones = named(trace, "X", "clone");
  ASSERT_EQ(clones.size(), 1u);
  EXPECT_EQ(clones[0]["tid"], 300);
  EXPECT_EQ(clones[0]["args"]["ret"], "301");

  // Still blocked when the capture stopped: a slice to its end, marked.
  auto reads = named(trace, "X", "read");
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_DOUBLE_EQ(reads[0]["ts"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(reads[0]["dur"].get<double>(), 7.0);  // 2000 to 9000 ns
  EXPECT_EQ(reads[0]["args"]["unfinished"], true);
  EXPECT_TRUE(reads[0]["args"]["call"].get<std::string>().ends_with(") = ?")) << reads[0].dump();

  // exit_group never returns: it ends with its task.
  auto exits = named(trace, "X", "exit_group");
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_DOUBLE_EQ(exits[0]["dur"].get<double>(), 0.5);
  EXPECT_EQ(exits[0]["args"]["unfinished"], true);

  // Without its entry, a call is a mark where it returned.
  auto lseeks = named(trace, "i", "lseek");
  ASSERT_EQ(lseeks.size(), 1u);
  EXPECT_EQ(lseeks[0]["s"], "t");
  EXPECT_EQ(lseeks[0]["args"]["ret"], "7");
  EXPECT_EQ(lseeks[0]["args"]["entry_not_captured"], true);

  auto gaps = named(trace, "i", "lost 4 events on cpu 1");
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0]["s"], "g");
  EXPECT_DOUBLE_EQ(gaps[0]["ts"].get<double>(), 2.0);
  EXPECT_EQ(gaps[0]["args"]["count"], 4);

  auto forks = named(trace, "i", "fork");
  ASSERT_EQ(forks.size(), 1u);
  EXPECT_EQ(forks[0]["tid"], 300);
  EXPECT_EQ(forks[0]["args"]["child_pid"], 301);
  auto execs = named(trace, "i", "exec");
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_EQ(execs[0]["args"]["comm"], "ls");
  auto ends = named(trace, "i", "exit");
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0]["s"], "p");
  EXPECT_EQ(ends[0]["args"]["exit_code"], 2);

  EXPECT_EQ(trace["otherData"]["ts_origin_ns"], std::to_string(1795316400LL * 1000000000LL + 500));
}

}  // namespace
}  // namespace etrace::test
