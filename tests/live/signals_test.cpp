// Signals under real BPF (format 1.3, record 12): a shell that ignores one
// signal and dies of another, each as JSON Lines, --stats and the timeline
// say it; what a shell's semantics decide is the expectation.
#include <signal.h>

#include <map>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

class SignalsTest : public LiveTest {
 protected:
  // `sh -c SCRIPT` captured, then decoded as JSON Lines; its pid in `shell`.
  std::vector<Json> traced_shell(const std::string& script, int64_t& shell) {
    const std::string out = file("sh.etrace");
    Outcome cap = capture({"-q", "-o", out, "--", "/bin/sh", "-c", script});
    EXPECT_NE(cap.status, 127) << cap.describe();
    auto events = decode_json(out);
    auto execs = select(events, [](const Json& e) { return is_process(e, "exec"); });
    shell = execs.empty() ? 0 : *int_of(execs[0], "pid");
    capture_ = out;
    return events;
  }
  std::string capture_;
};

std::vector<Json> signals_of(const std::vector<Json>& events) {
  return select(events, [](const Json& e) { return str_of(e, "kind") == "signal"; });
}

TEST_F(SignalsTest, IgnoredThenFatalAsTheShellMetThem) {
  int64_t sh = 0;
  // trap '' ignores SIGUSR2; SIGUSR1 keeps its default action, which ends the shell.
  auto events = traced_shell("trap '' USR2; kill -USR2 $$; kill -USR1 $$; exit 3", sh);
  ASSERT_GT(sh, 0);
  auto signals = signals_of(events);
  ASSERT_EQ(signals.size(), 2u) << summary(signals);

  const Json& usr2 = signals[0];
  EXPECT_EQ(str_of(usr2, "signal"), "SIGUSR2");
  EXPECT_EQ(int_of(usr2, "signo"), SIGUSR2);
  EXPECT_EQ(str_of(usr2, "action"), "ignored");
  EXPECT_EQ(int_of(usr2, "pid"), sh);
  EXPECT_EQ(int_of(usr2, "sender_pid"), sh) << "the shell sent it to itself";
  EXPECT_EQ(usr2["siginfo"]["si_code"]["text"], "SI_USER");
  EXPECT_EQ(usr2["siginfo"]["si_pid"], sh);

  const Json& usr1 = signals[1];
  EXPECT_EQ(str_of(usr1, "signal"), "SIGUSR1");
  EXPECT_EQ(str_of(usr1, "action"), "fatal");
  EXPECT_EQ(usr1["siginfo"]["si_pid"], sh);
  auto ends = select(events, [&](const Json& e) { return is_process(e, "exit") && int_of(e, "pid") == sh; });
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(str_of(ends[0], "signal"), "SIGUSR1") << "it never reached exit 3";

  // Each after the kill that sent it: the shell met them as its call returned.
  auto kills = select(events, [](const Json& e) { return is_call(e, "kill"); });
  ASSERT_EQ(kills.size(), 2u);
  std::vector<std::string> order;
  for (const auto& e : events)
    if (is_call(e, "kill") || str_of(e, "kind") == "signal")
      order.push_back(is_call(e, "kill") ? "kill" : str_of(e, "signal"));
  EXPECT_EQ(order, (std::vector<std::string>{"kill", "SIGUSR2", "kill", "SIGUSR1"}));
}

TEST_F(SignalsTest, StatsAndTimelineCountWhatTheLinesShow) {
  int64_t sh = 0;
  traced_shell("trap '' USR2; kill -USR2 $$; kill -USR2 $$; kill -TERM $$", sh);
  ASSERT_GT(sh, 0);
  Outcome stats_out = decode({capture_, "--stats", "--json"});
  ASSERT_EQ(stats_out.status, 0) << stats_out.describe();
  const Json stats = Json::parse(stats_out.out);
  std::map<std::string, Json> rows;
  for (const auto& s : stats["signals"]) rows[s["signal"]] = s;
  ASSERT_EQ(rows.size(), 2u) << stats["signals"].dump();
  EXPECT_EQ(rows["SIGUSR2"]["count"], 2);
  EXPECT_EQ(rows["SIGUSR2"]["ignored"], 2);
  EXPECT_EQ(rows["SIGTERM"]["count"], 1);
  EXPECT_EQ(rows["SIGTERM"]["default"], 1);

  const std::string timeline = file("sh.json");
  Outcome perfetto = decode({capture_, "--perfetto", timeline});
  ASSERT_EQ(perfetto.status, 0) << perfetto.describe();
  const Json trace = Json::parse(read_file(timeline));
  size_t instants = 0;
  for (const auto& e : trace["traceEvents"])
    if (e["ph"] == "i" && (e["name"] == "SIGUSR2" || e["name"] == "SIGTERM")) {
      ++instants;
      EXPECT_EQ(e["tid"], sh) << e.dump();
    }
  EXPECT_EQ(instants, 3u);
}

}  // namespace
}  // namespace etrace::live
