// --perfetto: trace-event JSON with tracks named from comm, a slice per
// call, instants for process events, gaps and calls without their entry.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

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

// Captures of two hosts on one timeline: equal pids and tids, yet each
// host's on tracks of its own, named with the host and the real ids, which
// each event's args also give; a host's gap is marked on its host alone.
TEST(PerfettoOutput, HostsOfAMergeKeepTheirTracksApart) {
  const std::string hosts[2] = {"east", "west"};
  std::ostringstream out;
  decode::PerfettoRenderer renderer(out, 1000, {});
  for (const auto& host : hosts) {
    decode::DecodedCall call;
    call.pid = call.tid = 4242;
    call.host = &host;
    call.comm = "nginx";
    call.syscall = "getpid";
    call.args.emplace();
    call.ret.emplace().raw = 4242;
    call.entry_wall_ns = 2000;
    call.exit_wall_ns = 2500;
    renderer.call(call);
    renderer.loss({.wall_ns = 3000, .cpu = 1, .count = 2, .first_wall_ns = 2600, .last_wall_ns = 2900, .host = &host});
  }
  renderer.finish();
  const json trace = json::parse(out.str());

  auto calls = named(trace, "X", "getpid");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_NE(calls[0]["pid"], calls[1]["pid"]);
  EXPECT_NE(calls[0]["tid"], calls[1]["tid"]);
  std::map<json, std::string> process_names, thread_names;  // by pid, by tid
  for (const auto& p : named(trace, "M", "process_name")) process_names[p["pid"]] = p["args"]["name"];
  for (const auto& t : named(trace, "M", "thread_name")) thread_names[t["tid"]] = t["args"]["name"];
  for (int i = 0; i < 2; ++i) {
    const json& c = calls[i];
    EXPECT_EQ(c["args"]["host"], hosts[i]);
    EXPECT_EQ(c["args"]["pid"], 4242);
    EXPECT_EQ(c["args"]["tid"], 4242);
    EXPECT_EQ(c["pid"], c["tid"]) << "a leader's thread is its process's main thread";
    EXPECT_EQ(process_names[c["pid"]], hosts[i] + ": nginx (pid 4242)");
    EXPECT_EQ(thread_names[c["tid"]], hosts[i] + ": nginx (tid 4242)");
    EXPECT_DOUBLE_EQ(c["ts"].get<double>(), 1.0);
  }

  // The two hosts' processes sort apart.
  std::map<json, int> sort_index;  // by pid
  for (const auto& s : named(trace, "M", "process_sort_index")) sort_index[s["pid"]] = s["args"]["sort_index"];
  EXPECT_NE(sort_index.at(calls[0]["pid"]), sort_index.at(calls[1]["pid"]));

  // Each host's gap on a process track of its own, not across the timeline.
  auto gaps = named(trace, "i", "lost 2 events on cpu 1");
  ASSERT_EQ(gaps.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(gaps[i]["s"], "p");
    EXPECT_EQ(gaps[i]["args"]["host"], hosts[i]);
    EXPECT_EQ(process_names[gaps[i]["pid"]].rfind(hosts[i] + ": ", 0), 0u);
    EXPECT_EQ(sort_index.at(gaps[i]["pid"]), sort_index.at(calls[i]["pid"]));
    for (const auto& c : calls) EXPECT_NE(gaps[i]["pid"], c["pid"]);
  }
  EXPECT_NE(gaps[0]["pid"], gaps[1]["pid"]);
}

}  // namespace
}  // namespace etrace::test
