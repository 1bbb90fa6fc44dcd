// The decode-side reports on a live capture of the workload's scripted run
// (tests/live/workload.c): --stats as text and as JSON, --histogram and
// --perfetto, their structure, and their numbers against the JSON Lines
// events they summarise.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

// What the JSON Lines say about one syscall.
struct Expected {
  int64_t calls = 0;
  int64_t errors = 0;
  std::vector<int64_t> durations;
};

std::map<std::string, Expected> expected_per_syscall(const std::vector<Json>& events) {
  std::map<std::string, Expected> out;
  for (const auto& e : events) {
    if (!is_call(e)) continue;
    Expected& x = out[str_of(e, "syscall")];
    x.calls++;
    if (!is_null(e, "errno")) x.errors++;
    if (auto d = int_of(e, "duration_ns")) x.durations.push_back(*d);
  }
  return out;
}

// Nearest rank, on the sorted durations.
int64_t exact_percentile(std::vector<int64_t> v, double p) {
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::max<size_t>(rank, 1) - 1];
}

// A row of the --stats table, cut at its fixed columns.
struct TextRow {
  std::string pct, seconds, avg, calls, errors, p50, p99, max, name;
};

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, s.find_last_not_of(' ') - b + 1);
}

std::optional<TextRow> text_row(const std::string& line) {
  if (line.size() < 88 || line[6] != ' ' || line[86] != ' ') return std::nullopt;
  auto cell = [&](size_t from, size_t width) { return trimmed(line.substr(from, width)); };
  return TextRow{cell(0, 6),   cell(7, 11),  cell(19, 11), cell(31, 9), cell(41, 9),
                 cell(51, 11), cell(63, 11), cell(75, 11), line.substr(87)};
}

// Each test captures the workload's run afresh, and decodes it as JSON Lines.
class ReportsTest : public LiveTest {
 protected:
  void SetUp() override {
    LiveTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    capture_file_ = file("run.etrace");
    Outcome cap = capture({"-o", capture_file_, "--", kWorkload, "run"});
    ASSERT_EQ(cap.status, kExit) << cap.describe();
    auto total = closing_row(cap.err, "total");
    ASSERT_TRUE(total.has_value()) << cap.err;
    records_ = total->first;
    ASSERT_EQ(total->second, 0u) << "nothing lost: " << cap.err;
    events_ = decode_json(capture_file_);
    ASSERT_FALSE(events_.empty());
  }

  std::string capture_file_;
  uint64_t records_ = 0;
  std::vector<Json> events_;
};

TEST_F(ReportsTest, StatsJsonAddsUpTheEvents) {
  Outcome out = decode({capture_file_, "--stats", "--json"});
  ASSERT_EQ(out.status, 0) << out.describe();
  EXPECT_EQ(out.err, "");
  const Json stats = Json::parse(out.out);
  const auto expected = expected_per_syscall(events_);

  std::set<std::string> names;
  int64_t previous_total = INT64_MAX;
  int64_t calls = 0, errors = 0, total_ns = 0;
  for (const auto& row : stats["syscalls"]) {
    const std::string name = row["syscall"];
    names.insert(name);
    SCOPED_TRACE(name);
    ASSERT_TRUE(expected.count(name));
    const Expected& x = expected.at(name);
    EXPECT_EQ(row["calls"], x.calls);
    EXPECT_EQ(row["errors"], x.errors);
    EXPECT_EQ(row["timed"], static_cast<int64_t>(x.durations.size()));
    int64_t sum = 0;
    for (int64_t d : x.durations) sum += d;
    EXPECT_EQ(int_of(row, "total_ns"), sum);
    if (x.durations.empty()) {
      EXPECT_TRUE(row["max_ns"].is_null());
      EXPECT_TRUE(row["p50_ns"].is_null());
    } else {
      EXPECT_EQ(int_of(row, "max_ns"), *std::max_element(x.durations.begin(), x.durations.end()));
      EXPECT_EQ(int_of(row, "avg_ns"), sum / static_cast<int64_t>(x.durations.size()));
      // Documented: never below the exact nearest-rank value, above it by under 1/128.
      for (const char* key : {"p50_ns", "p99_ns"}) {
        const int64_t exact = exact_percentile(x.durations, key[1] == '5' ? 50 : 99);
        const int64_t got = int_of(row, key).value_or(-1);
        EXPECT_GE(got, exact) << key;
        EXPECT_LE(got - exact, exact / 128) << key;
      }
    }
    // Sorted by time by default.
    EXPECT_LE(sum, previous_total);
    previous_total = sum;
    calls += x.calls;
    errors += x.errors;
    total_ns += sum;
  }
  EXPECT_EQ(names.size(), expected.size()) << "a row per syscall seen";
  EXPECT_EQ(stats["sort"], "time");
  EXPECT_EQ(stats["total"]["calls"], calls);
  EXPECT_EQ(stats["total"]["errors"], errors);
  EXPECT_EQ(int_of(stats["total"], "total_ns"), total_ns);
  EXPECT_DOUBLE_EQ(stats["total"]["time_pct"].get<double>(), 100.0);

  // The script's own numbers.
  EXPECT_EQ(expected.at("getpid").calls, kGetpids);
  const auto& enoent = std::find_if(stats["errors"].begin(), stats["errors"].end(),
                                    [](const Json& e) { return e["errno"] == "ENOENT"; });
  ASSERT_NE(enoent, stats["errors"].end()) << stats["errors"].dump();
  EXPECT_GE((*enoent)["syscalls"]["openat"].get<int64_t>(), 1) << "the missing path";

  // Per process: the parent and its child, with every call between them.
  std::map<int64_t, int64_t> calls_per_pid;
  for (const auto& e : events_)
    if (is_call(e)) calls_per_pid[*int_of(e, "pid")]++;
  ASSERT_EQ(stats["processes"].size(), calls_per_pid.size());
  for (const auto& p : stats["processes"]) {
    EXPECT_EQ(p["calls"], calls_per_pid[p["pid"].get<int64_t>()]) << p.dump();
    EXPECT_EQ(p["comm"], kWorkloadComm);
  }

  EXPECT_EQ(stats["lost"]["known"], true);
  EXPECT_EQ(stats["lost"]["records"], 0);
  EXPECT_EQ(stats["capture"]["records"], records_);
  EXPECT_EQ(stats["capture"]["duration_from"], "capture");
  EXPECT_GT(int_of(stats["capture"], "duration_ns").value_or(0), 0);
  EXPECT_GT(stats["capture"]["records_per_s"].get<int64_t>(), 0);
}

TEST_F(ReportsTest, StatsTextCarriesTheSameRowsAsTheJson) {
  const Json stats = Json::parse(decode({capture_file_, "--stats", "--json"}).out);
  Outcome out = decode({capture_file_, "--stats"});
  ASSERT_EQ(out.status, 0) << out.describe();
  EXPECT_EQ(out.err, "");
  const auto lines = lines_of(out.out);
  ASSERT_GT(lines.size(), 4u);
  EXPECT_EQ(lines[0], "% time     seconds  usecs/call     calls    errors   p50 usecs   p99 usecs   max usecs syscall");
  std::vector<TextRow> rows;
  size_t i = 2;
  for (; i < lines.size() && lines[i][0] != '-'; ++i) {
    auto row = text_row(lines[i]);
    ASSERT_TRUE(row.has_value()) << "not a table row: " << lines[i];
    rows.push_back(*row);
  }
  ASSERT_EQ(rows.size(), stats["syscalls"].size()) << out.out;
  // Same order, same counts; times in µs with the ns as decimals.
  auto micros = [](const Json& ns) {
    if (ns.is_null()) return std::string("-");
    const int64_t v = std::stoll(ns.get<std::string>());  // 64-bit: decimal digits
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%lld.%03lld", static_cast<long long>(v / 1000), static_cast<long long>(v % 1000));
    return std::string(buf);
  };
  for (size_t k = 0; k < rows.size(); ++k) {
    const Json& j = stats["syscalls"][k];
    SCOPED_TRACE(rows[k].name);
    EXPECT_EQ(rows[k].name, j["syscall"]);
    EXPECT_EQ(rows[k].calls, std::to_string(j["calls"].get<int64_t>()));
    EXPECT_EQ(rows[k].errors, j["errors"] == 0 ? "" : std::to_string(j["errors"].get<int64_t>()));
    EXPECT_EQ(rows[k].p50, micros(j["p50_ns"]));
    EXPECT_EQ(rows[k].p99, micros(j["p99_ns"]));
    EXPECT_EQ(rows[k].max, micros(j["max_ns"]));
  }
  auto total = text_row(lines.at(i + 1));
  ASSERT_TRUE(total.has_value()) << lines.at(i + 1);
  EXPECT_EQ(total->name, "total");
  EXPECT_EQ(total->pct, "100.00");
  EXPECT_EQ(total->calls, std::to_string(stats["total"]["calls"].get<int64_t>()));

  // The sections that follow the table, in order: the workload's child's
  // exit sends it a SIGCHLD, so processes have a signals column and the
  // signals their own table.
  size_t at = 0;
  for (const std::string& section : {std::string("\n     pid comm                 calls    errors     seconds   signals\n"),
                                     std::string("\nsignal               count   handled   default   ignored\n"),
                                     std::string("\nerrno                count syscalls\n"),
                                     "\ncapture: " + std::to_string(records_) + " records written, 0 lost\n",
                                     std::string("\nduration: ")}) {
    const size_t found = out.out.find(section, at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << section << "\n" << out.out;
    at = found;
  }

  // --sort calls: most calls first.
  Outcome by_calls = decode({capture_file_, "--stats", "--sort", "calls"});
  ASSERT_EQ(by_calls.status, 0) << by_calls.describe();
  const auto sorted = lines_of(by_calls.out);
  uint64_t previous = UINT64_MAX;
  for (size_t k = 2; k < sorted.size() && sorted[k][0] != '-'; ++k) {
    auto row = text_row(sorted[k]);
    ASSERT_TRUE(row.has_value()) << sorted[k];
    EXPECT_LE(std::stoull(row->calls), previous) << sorted[k];
    previous = std::stoull(row->calls);
  }
}

TEST_F(ReportsTest, StatsCountTheSignalsTheJsonLinesShow) {
  std::map<std::string, int64_t> received;
  std::map<int64_t, int64_t> by_pid;
  for (const auto& e : events_) {
    if (str_of(e, "kind") != "signal") continue;
    received[str_of(e, "signal")]++;
    by_pid[*int_of(e, "pid")]++;
  }
  ASSERT_EQ(received.count("SIGCHLD"), 1u) << "the workload's child exits";
  const Json stats = Json::parse(decode({capture_file_, "--stats", "--json"}).out);
  std::map<std::string, int64_t> counted;
  for (const auto& s : stats["signals"]) {
    counted[s["signal"]] = s["count"];
    EXPECT_EQ(s["count"].get<int64_t>(),
              s["handled"].get<int64_t>() + s["default"].get<int64_t>() + s["ignored"].get<int64_t>())
        << s.dump();
  }
  EXPECT_EQ(counted, received);
  for (const auto& p : stats["processes"]) EXPECT_EQ(p["signals"].get<int64_t>(), by_pid[p["pid"]]) << p.dump();
}

TEST_F(ReportsTest, HistogramCountsEveryCall) {
  Outcome out = decode({capture_file_, "--histogram", "getpid"});
  ASSERT_EQ(out.status, 0) << out.describe();
  const auto lines = lines_of(out.out);
  ASSERT_GT(lines.size(), 1u) << out.out;
  EXPECT_EQ(lines[0], "@ns[getpid]:");
  int64_t sum = 0;
  for (size_t k = 1; k < lines.size(); ++k) {
    // "[256, 512)          996 |@@@...|": label, count, a 52-wide bar.
    const std::string& l = lines[k];
    ASSERT_EQ(l.size(), 16u + 8 + 2 + 52 + 1) << l;
    EXPECT_EQ(l[0], '[') << l;
    EXPECT_EQ(l.substr(24, 2), " |") << l;
    EXPECT_EQ(l.back(), '|') << l;
    sum += std::stoll(l.substr(16, 8));
  }
  EXPECT_EQ(sum, kGetpids);
}

TEST_F(ReportsTest, PerfettoTimelineHasASlicePerCall) {
  const std::string path = file("timeline.json");
  Outcome out = decode({capture_file_, "--perfetto", path});
  ASSERT_EQ(out.status, 0) << out.describe();
  EXPECT_EQ(out.out, "");
  const Json trace = Json::parse(read_file(path));
  ASSERT_TRUE(trace.is_object());
  EXPECT_EQ(trace["displayTimeUnit"], "ns");
  ASSERT_TRUE(trace["traceEvents"].is_array());

  // Every call with an entry is a slice on its thread, as long as it took.
  std::multiset<std::tuple<std::string, int64_t, int64_t>> calls, slices;
  for (const auto& e : events_)
    if (is_call(e) && !is_null(e, "duration_ns"))
      calls.emplace(str_of(e, "syscall"), *int_of(e, "tid"), *int_of(e, "duration_ns"));
  std::map<int64_t, std::vector<std::pair<double, double>>> per_thread;
  std::map<int64_t, std::string> process_names, thread_names;
  std::map<std::string, std::vector<Json>> instants;
  for (const auto& e : trace["traceEvents"]) {
    const std::string ph = e["ph"];
    ASSERT_TRUE(e["pid"].is_number_integer() && e["tid"].is_number_integer()) << e.dump();
    if (ph == "M") {
      const std::string what = e["name"];
      ASSERT_TRUE(what == "process_name" || what == "thread_name") << e.dump();
      if (what == "process_name") process_names[e["pid"]] = e["args"]["name"];
      else thread_names[e["tid"]] = e["args"]["name"];
      continue;
    }
    ASSERT_TRUE(e["ts"].is_number()) << e.dump();
    if (ph == "X") {
      ASSERT_TRUE(e["dur"].is_number()) << e.dump();
      const double dur = e["dur"];
      EXPECT_GE(dur, 0.0);
      ASSERT_TRUE(e["args"]["call"].is_string()) << e.dump();
      EXPECT_EQ(e["args"]["call"].get<std::string>().rfind(e["name"].get<std::string>() + "(", 0), 0u) << e.dump();
      if (!e["args"].contains("unfinished"))
        slices.emplace(e["name"], e["tid"], std::llround(dur * 1000));
      per_thread[e["tid"]].emplace_back(e["ts"], e["ts"].get<double>() + dur);
    } else {
      ASSERT_EQ(ph, "i") << e.dump();
      const std::string scope = e["s"];
      EXPECT_TRUE(scope == "g" || scope == "p" || scope == "t") << e.dump();
      instants[e["name"]].push_back(e);
    }
  }
  EXPECT_EQ(slices, calls) << "one slice per completed call, with its duration";

  // A thread does one call at a time: its slices never overlap.
  for (auto& [tid, spans] : per_thread) {
    std::sort(spans.begin(), spans.end());
    for (size_t k = 1; k < spans.size(); ++k)
      EXPECT_LE(spans[k - 1].second, spans[k].first + 1e-3) << "thread " << tid;
  }

  // Tracks named after the workload, grouped by process; fork, exec and both exits marked.
  std::set<int64_t> pids;
  for (const auto& e : events_)
    if (is_call(e)) pids.insert(*int_of(e, "pid"));
  ASSERT_EQ(pids.size(), 2u);
  for (int64_t pid : pids) {
    EXPECT_EQ(process_names[pid], kWorkloadComm) << pid;
    EXPECT_EQ(thread_names[pid], kWorkloadComm) << pid;
  }
  ASSERT_EQ(instants["fork"].size(), 1u);
  EXPECT_TRUE(pids.count(instants["fork"][0]["args"]["child_pid"].get<int64_t>()));
  ASSERT_FALSE(instants["exec"].empty());
  EXPECT_EQ(instants["exec"].back()["args"]["comm"], kWorkloadComm);
  std::set<int64_t> exit_codes;
  for (const auto& e : instants["exit"]) exit_codes.insert(e["args"]["exit_code"].get<int64_t>());
  EXPECT_EQ(exit_codes, (std::set<int64_t>{kChildExit, kExit}));
}

}  // namespace
}  // namespace etrace::live
