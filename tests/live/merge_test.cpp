// Captures of two hosts decoded as one: each capture runs in a UTS
// namespace of its own, so that its file names another host, at the same
// time as the other; the merge interleaves their events by time and marks
// each with its host, each host's events as its capture alone shows them.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

// etrace-capture ARGS... run on a host named `host`.
std::vector<std::string> on_host(const std::string& host, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/unshare", "--uts", "/bin/sh", "-c", "hostname " + host + " && exec \"$0\" \"$@\"",
                                kCapture};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// When the merge took the event: a call's end (its start plus its
// duration), another event's time; nothing for a call whose end the line
// does not tell.
std::optional<int64_t> taken_at(const Json& e) {
  if (!e.contains("ts_ns")) return std::nullopt;
  const int64_t ts = std::stoll(e["ts_ns"].get<std::string>());
  if (!is_call(e) && str_of(e, "kind") != "libcall") return ts;
  if (is_null(e, "duration_ns")) return std::nullopt;
  return ts + std::stoll(e["duration_ns"].get<std::string>());
}

const std::string hosts[2] = {"etrace-east", "etrace-west"};

// The workload captured on both hosts at once into `files`, in `dir`. It
// ticks every 100 ms: both captures are under way together.
void capture_on_two_hosts(const std::string (&files)[2], const std::string& dir) {
  std::string error;
  auto east = Background::launch(on_host(hosts[0], {"-q", "-o", files[0], "--", kWorkload, "ticks", "8"}), dir, error);
  ASSERT_TRUE(east) << error;
  Outcome west = run(on_host(hosts[1], {"-q", "-o", files[1], "--", kWorkload, "ticks", "8"}), dir);
  ASSERT_EQ(west.status, 0) << west.describe();
  Outcome east_done = east->wait();
  ASSERT_EQ(east_done.status, 0) << east_done.describe();
}

TEST_F(LiveTest, CapturesOfTwoHostsMergeByTime) {
  const std::string files[2] = {file("east.etrace"), file("west.etrace")};
  ASSERT_NO_FATAL_FAILURE(capture_on_two_hosts(files, dir_.path()));
  std::string error;

  Outcome merged = decode({files[0], files[1], "--json", "--no-ctx"});
  ASSERT_EQ(merged.status, 0) << merged.describe();
  const auto events = parse_json_lines(merged.out, error);
  ASSERT_EQ(error, "");

  // Each host's events, unmarked, are its capture decoded alone, in order.
  for (int i = 0; i < 2; ++i) {
    Outcome alone = decode({files[i], "--json", "--no-ctx"});
    ASSERT_EQ(alone.status, 0) << alone.describe();
    std::vector<Json> mine;
    for (Json e : events)
      if (str_of(e, "host") == hosts[i]) {
        e.erase("host");
        mine.push_back(e);
      }
    EXPECT_EQ(mine, parse_json_lines(alone.out, error)) << hosts[i];
  }
  for (const auto& e : events) EXPECT_TRUE(str_of(e, "host") == hosts[0] || str_of(e, "host") == hosts[1]) << e.dump();

  // The hosts take turns as their ticks do, and where one host's events
  // give way to the other's, time runs forward.
  int turns = 0;
  for (size_t i = 1; i < events.size(); ++i) {
    if (str_of(events[i], "host") == str_of(events[i - 1], "host")) continue;
    ++turns;
    const auto before = taken_at(events[i - 1]), after = taken_at(events[i]);
    if (before && after) {
      EXPECT_LE(*before, *after) << events[i - 1].dump() << "\n" << events[i].dump();
    }
  }
  EXPECT_GE(turns, 8) << "8 ticks each, 100 ms apart, overlap";

  // Text marks every line with its host and its process.
  Outcome text = decode({files[0], files[1]});
  ASSERT_EQ(text.status, 0) << text.describe();
  std::map<std::string, size_t> lines_by_host;
  for (const auto& line : lines_of(text.out)) {
    const std::string host = line.substr(1, line.find(']') - 1);
    EXPECT_TRUE(line[0] == '[' && (host == hosts[0] || host == hosts[1])) << line;
    EXPECT_EQ(line.compare(host.size() + 2, 6, " [pid "), 0) << line;
    ++lines_by_host[host];
  }
  EXPECT_EQ(lines_by_host.size(), 2u);

  // --stats adds up the two captures' calls, and tells their processes
  // apart by host.
  Json reports[3];
  const std::vector<std::string> inputs[3] = {{files[0]}, {files[1]}, {files[0], files[1]}};
  for (int i = 0; i < 3; ++i) {
    std::vector<std::string> args = inputs[i];
    args.insert(args.end(), {"--stats", "--json"});
    Outcome stats = decode(args);
    ASSERT_EQ(stats.status, 0) << stats.describe();
    reports[i] = Json::parse(stats.out);
  }
  const auto total_calls = [](const Json& report) { return int_of(report["total"], "calls").value_or(-1); };
  EXPECT_EQ(total_calls(reports[2]), total_calls(reports[0]) + total_calls(reports[1]));
  for (int i = 0; i < 2; ++i) {
    int64_t by_process = 0;
    for (const auto& row : reports[2]["processes"])
      if (str_of(row, "host") == hosts[i]) by_process += int_of(row, "calls").value_or(0);
    EXPECT_EQ(by_process, total_calls(reports[i])) << hosts[i];
  }

  // -ff: each host's threads in files of their own, PREFIX.HOST.TID, each
  // as the thread's file from its capture alone.
  const std::string merged_dir = file("ff-merged"), alone_dir = file("ff-alone");
  std::filesystem::create_directory(merged_dir);
  std::filesystem::create_directory(alone_dir);
  Outcome per_task = decode({files[0], files[1], "-ff", "-o", merged_dir + "/t"});
  ASSERT_EQ(per_task.status, 0) << per_task.describe();
  size_t compared = 0;
  for (int i = 0; i < 2; ++i) {
    const std::string prefix = alone_dir + "/" + hosts[i];
    Outcome alone = decode({files[i], "-ff", "-o", prefix});
    ASSERT_EQ(alone.status, 0) << alone.describe();
    for (const auto& entry : std::filesystem::directory_iterator(alone_dir)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(hosts[i] + ".", 0) != 0) continue;
      EXPECT_EQ(read_file(merged_dir + "/t." + name), read_file(entry.path().string())) << name;
      ++compared;
    }
  }
  EXPECT_GE(compared, 2u) << "a thread at least on each host";
  EXPECT_EQ(compared, names_in(merged_dir).size());

  // A view of one capture's whole is refused, in one sentence.
  Outcome files_view = decode({files[0], files[1], "--files"});
  EXPECT_EQ(files_view.status, 2) << files_view.describe();
  EXPECT_NE(files_view.err.find("--files shows one capture at a time"), std::string::npos) << files_view.err;
}

// A slice of a --perfetto timeline: where it sits and what it was.
struct Slice {
  int64_t pid_track;
  int64_t tid;  // the real one: the args' in a merge, the track's alone
  std::string name;
  int64_t start_ns;  // since the Unix epoch
  int64_t dur_ns;    // -1 for a call that did not end: its end is the timeline's
  bool operator<(const Slice& o) const {
    return std::tie(start_ns, tid, name, dur_ns) < std::tie(o.start_ns, o.tid, o.name, o.dur_ns);
  }
};

int64_t origin_ns(const Json& trace) { return std::stoll(trace["otherData"]["ts_origin_ns"].get<std::string>()); }

// The timeline's "X" slices, with their times since the epoch.
std::vector<Slice> slices_of(const Json& trace) {
  std::vector<Slice> slices;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] != "X") continue;
    const bool ended = !e["args"].contains("unfinished");
    slices.push_back({e["pid"], e["args"].value("tid", e["tid"].get<int64_t>()), e["name"],
                      origin_ns(trace) + std::llround(e["ts"].get<double>() * 1000),
                      ended ? std::llround(e["dur"].get<double>() * 1000) : -1});
  }
  return slices;
}

TEST_F(LiveTest, CapturesOfTwoHostsShareOneTimelineApart) {
  const std::string files[2] = {file("east.etrace"), file("west.etrace")};
  ASSERT_NO_FATAL_FAILURE(capture_on_two_hosts(files, dir_.path()));
  const auto timeline = [&](const std::vector<std::string>& inputs, const std::string& name) {
    std::vector<std::string> args = inputs;
    args.insert(args.end(), {"--perfetto", file(name)});
    Outcome out = decode(args);
    EXPECT_EQ(out.status, 0) << out.describe();
    return Json::parse(read_file(file(name)));
  };
  const Json merged = timeline({files[0], files[1]}, "merged.json");
  const Json alone[2] = {timeline({files[0]}, "east.json"), timeline({files[1]}, "west.json")};

  // Each host's events name it and their real ids; the tracks they sit on
  // are no other host's.
  std::map<std::string, std::set<int64_t>> pid_tracks, tid_tracks;
  std::map<int64_t, int64_t> real_pid;  // by pid track
  for (const auto& e : merged["traceEvents"]) {
    if (e["ph"] == "M") continue;
    ASSERT_TRUE(e["args"].contains("host")) << e.dump();
    const std::string host = e["args"]["host"];
    ASSERT_TRUE(host == hosts[0] || host == hosts[1]) << e.dump();
    EXPECT_GE(e["ts"].get<double>(), 0.0) << e.dump();
    pid_tracks[host].insert(e["pid"].get<int64_t>());
    tid_tracks[host].insert(e["tid"].get<int64_t>());
    if (!e["args"].contains("pid")) continue;  // a gap, on the host's own track
    const auto [known, added] = real_pid.try_emplace(e["pid"], e["args"]["pid"]);
    EXPECT_EQ(known->second, e["args"]["pid"].get<int64_t>()) << "one track, one process: " << e.dump();
  }
  ASSERT_EQ(pid_tracks.size(), 2u);
  for (const auto* tracks : {&pid_tracks, &tid_tracks}) {
    std::vector<int64_t> shared;
    std::ranges::set_intersection(tracks->at(hosts[0]), tracks->at(hosts[1]), std::back_inserter(shared));
    EXPECT_TRUE(shared.empty()) << shared.size() << " tracks shared by both hosts";
  }

  // Processes are named with their host and their real pid.
  for (const auto& e : merged["traceEvents"]) {
    if (e["ph"] != "M" || e["name"] != "process_name") continue;
    const std::string name = e["args"]["name"];
    const int64_t pid = e["pid"];
    const bool east = pid_tracks[hosts[0]].count(pid);
    ASSERT_TRUE(east || pid_tracks[hosts[1]].count(pid)) << "a process without events: " << e.dump();
    EXPECT_EQ(name.rfind(hosts[east ? 0 : 1] + ": ", 0), 0u) << e.dump();
    if (real_pid.count(pid)) {  // not a host's gaps track
      EXPECT_TRUE(name.ends_with(" (pid " + std::to_string(real_pid.at(pid)) + ")")) << e.dump();
    }
  }

  // The timeline starts with the earlier capture; each host's slices are
  // its capture's alone, on the same threads at the same times, none before
  // the origin.
  EXPECT_EQ(origin_ns(merged), std::min(origin_ns(alone[0]), origin_ns(alone[1])));
  const std::vector<Slice> all = slices_of(merged);
  for (int i = 0; i < 2; ++i) {
    std::vector<Slice> mine;
    for (const Slice& s : all)
      if (pid_tracks[hosts[i]].count(s.pid_track)) mine.push_back(s);
    std::vector<Slice> expected = slices_of(alone[i]);
    ASSERT_EQ(mine.size(), expected.size()) << hosts[i];
    ASSERT_FALSE(mine.empty()) << hosts[i];
    EXPECT_GE(std::ranges::min(mine, {}, &Slice::start_ns).start_ns, origin_ns(merged)) << hosts[i];
    std::sort(mine.begin(), mine.end());
    std::sort(expected.begin(), expected.end());
    for (size_t k = 0; k < mine.size(); ++k) {
      EXPECT_EQ(mine[k].start_ns, expected[k].start_ns) << hosts[i] << " slice " << k;
      EXPECT_EQ(mine[k].tid, expected[k].tid) << hosts[i] << " " << mine[k].name;
      EXPECT_EQ(mine[k].name, expected[k].name) << hosts[i] << " slice " << k;
      EXPECT_EQ(mine[k].dur_ns, expected[k].dur_ns) << hosts[i] << " " << mine[k].name;
    }
  }
}

}  // namespace
}  // namespace etrace::live
