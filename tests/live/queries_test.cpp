// etrace-decode's questions, asked of a real capture: each answer is
// checked against the whole file decoded, never against a number written
// down here.
#include <algorithm>
#include <set>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

class QueryTest : public LiveTest {
 protected:
  void SetUp() override {
    LiveTest::SetUp();
    if (IsSkipped()) return;
    out_ = file("queries.etrace");
    // Failures of two kinds, a subshell with children, successes.
    Outcome cap = capture({"-q", "-o", out_, "--", "/bin/sh", "-c",
                           "cat /nonexistent-a 2>/dev/null; (cat /etc/hostname >/dev/null; ls /nonexistent-b "
                           "2>/dev/null); exec 3</dev/null; exit 0"});
    ASSERT_EQ(cap.status, 0) << cap.describe();
    all_ = decode_json(out_);
    ASSERT_FALSE(all_.empty());
  }

  std::vector<Json> query(const std::vector<std::string>& args) { return decode_json(out_, args); }

  // The syscalls of the whole file for which pred holds, by their ts_ns.
  template <typename Pred>
  std::vector<int64_t> expected(Pred pred) const {
    std::vector<int64_t> out;
    for (const auto& e : all_)
      if (is_call(e) && !e.value("unfinished", false) && pred(e)) out.push_back(int_of(e, "ts_ns").value_or(0));
    return out;
  }
  static std::vector<int64_t> times_of_calls(const std::vector<Json>& events) {
    std::vector<int64_t> out;
    for (const auto& e : events)
      if (is_call(e) && !e.value("unfinished", false)) out.push_back(int_of(e, "ts_ns").value_or(0));
    return out;
  }
  static bool failed(const Json& e) {
    const auto ret = int_of(e, "ret");
    return ret && *ret < 0 && *ret >= -4095;
  }

  std::string out_;
  std::vector<Json> all_;
};

TEST_F(QueryTest, ByOutcome) {
  const auto failures = expected(failed);
  ASSERT_FALSE(failures.empty());
  EXPECT_EQ(times_of_calls(query({"-Z"})), failures);
  EXPECT_EQ(times_of_calls(query({"-e", "status=failed"})), failures);
  EXPECT_EQ(times_of_calls(query({"-z"})), expected([](const Json& e) { return !failed(e); }));
  const auto enoent = expected([](const Json& e) { return failed(e) && str_of(e, "errno") == "ENOENT"; });
  ASSERT_FALSE(enoent.empty());
  EXPECT_EQ(times_of_calls(query({"--errno", "ENOENT"})), enoent);
  EXPECT_EQ(times_of_calls(query({"--errno", "2"})), enoent);
  EXPECT_LT(enoent.size(), failures.size()) << "ENOTTY or another error is there too";
}

TEST_F(QueryTest, ByTime) {
  std::vector<const Json*> calls_all;
  for (const auto& e : all_)
    if (is_call(e) && !e.value("unfinished", false)) calls_all.push_back(&e);
  ASSERT_GE(calls_all.size(), 10u);
  const Json& first = *calls_all[calls_all.size() / 3];
  const Json& last = *calls_all[2 * calls_all.size() / 3];
  const int64_t from = int_of(first, "ts_ns").value_or(0), to = int_of(last, "ts_ns").value_or(0);
  const auto in_range = expected([&](const Json& e) {
    const int64_t t = int_of(e, "ts_ns").value_or(0);
    return t >= from && t <= to;
  });
  // Wall-clock times to the nanosecond, as the JSON's "ts" gives them (UTC).
  EXPECT_EQ(times_of_calls(query({"--since", str_of(first, "ts"), "--until", str_of(last, "ts")})), in_range);
  // Offsets from the capture's start.
  EXPECT_EQ(times_of_calls(query({"--until", "+1h"})), expected([](const Json&) { return true; }));
  Outcome none = decode({out_, "--since", "+1h"});
  EXPECT_EQ(none.status, 0) << none.describe();
  EXPECT_EQ(none.out, "");
  EXPECT_NE(none.err.find("match none of the capture's"), std::string::npos) << none.describe();
}

TEST_F(QueryTest, ByThreadAndTree) {
  // The subshell: the child of the shell that forked two children itself.
  std::map<int64_t, std::vector<int64_t>> children;
  int64_t shell = 0;
  for (const auto& e : all_)
    if (is_process(e, "fork")) {
      children[int_of(e, "pid").value_or(0)].push_back(int_of(e, "child_pid").value_or(0));
      if (!shell) shell = int_of(e, "pid").value_or(0);
    }
  ASSERT_NE(shell, 0);
  int64_t subshell = 0;
  for (int64_t c : children[shell])
    if (!children[c].empty()) subshell = c;
  ASSERT_NE(subshell, 0) << "the ( ... ) subshell forked";
  std::set<int64_t> tree{subshell};
  for (int64_t c : children[subshell]) tree.insert(c);
  EXPECT_EQ(times_of_calls(query({"--tree", std::to_string(subshell)})),
            expected([&](const Json& e) { return tree.count(int_of(e, "pid").value_or(0)) > 0; }));
  EXPECT_EQ(times_of_calls(query({"--tid", std::to_string(shell)})),
            expected([&](const Json& e) { return int_of(e, "tid") == shell; }));
}

TEST_F(QueryTest, SlowestCallsFirst) {
  std::vector<std::pair<int64_t, int64_t>> durations;  // duration, ts
  for (const auto& e : all_)
    if (is_call(e) && int_of(e, "duration_ns")) durations.push_back({*int_of(e, "duration_ns"), *int_of(e, "ts_ns")});
  std::sort(durations.rbegin(), durations.rend());
  const auto top = query({"--top", "5"});
  ASSERT_EQ(top.size(), 5u);
  for (size_t i = 0; i < top.size(); ++i) EXPECT_EQ(int_of(top[i], "duration_ns"), durations[i].first) << i;
  Outcome text = decode({out_, "--top", "3"});
  ASSERT_EQ(text.status, 0);
  const auto lines = lines_of(text.out);
  ASSERT_EQ(lines.size(), 3u) << text.out;
  for (const auto& line : lines) EXPECT_EQ(line.back(), '>') << "with its duration, as -T: " << line;
}

TEST_F(QueryTest, CommandNamesAndRelativeTimes) {
  Outcome named = decode({out_, "-Y"});
  ASSERT_EQ(named.status, 0);
  for (const auto& line : lines_of(named.out)) {
    ASSERT_EQ(line.rfind("[pid ", 0), 0u) << line;
    EXPECT_NE(line.find('<'), std::string::npos) << line;
    EXPECT_LT(line.find('<'), line.find("] ")) << line;
  }
  Outcome relative = decode({out_, "-r"});
  Outcome absolute = decode({out_, "-ttt"});
  const auto r = lines_of(relative.out), t = lines_of(absolute.out);
  ASSERT_EQ(r.size(), t.size());
  // The deltas add up to the time between the first line and the last.
  // The time after a "[pid N] " prefix.
  auto time_of = [](const std::string& line) {
    const size_t at = line.rfind("[pid ", 0) == 0 ? line.find("] ") + 2 : 0;
    return std::stod(line.substr(at));
  };
  double sum = 0;
  for (const auto& line : r) sum += time_of(line);
  const double span = time_of(t.back()) - time_of(t.front());
  EXPECT_NEAR(sum, span, 1e-6 * static_cast<double>(r.size()) + 1e-6);
}

// -P: the calls naming the path, and those on a descriptor opened on it.
TEST_F(QueryTest, ByPathAndTheDescriptorsOnIt) {
  const auto on_path = query({"-P", "/etc/hostname"});
  // The openat of /etc/hostname, then every call on the descriptor it returned until its close.
  int64_t fd = -1, tid = 0;
  std::vector<int64_t> want;
  for (const auto& e : all_) {
    if (!is_call(e) || e.value("unfinished", false)) continue;
    if (is_call(e, "openat") && arg_text(e, "filename") == "/etc/hostname") {
      fd = int_of(e, "ret").value_or(-1);
      tid = int_of(e, "tid").value_or(0);
      want.push_back(int_of(e, "ts_ns").value_or(0));
    } else if (fd >= 0 && int_of(e, "tid") == tid && (arg_of(e, "fd") == fd || arg_of(e, "dfd") == fd)) {
      want.push_back(int_of(e, "ts_ns").value_or(0));
      if (is_call(e, "close")) fd = -1;
    }
  }
  ASSERT_GE(want.size(), 3u) << "open, read, close";
  EXPECT_EQ(times_of_calls(on_path), want);
}

TEST_F(QueryTest, UnknownStatusIsAUsageError) {
  Outcome o = decode({out_, "-e", "status=maybe"});
  EXPECT_EQ(o.status, 2) << o.describe();
  EXPECT_NE(o.err.find("successful, failed and unfinished"), std::string::npos) << o.err;
  Outcome e = decode({out_, "--errno", "ENOPE"});
  EXPECT_EQ(e.status, 2) << e.describe();
}

}  // namespace
}  // namespace etrace::live
