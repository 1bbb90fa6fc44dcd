// Choosing what to trace: a running process by pid (all its threads), by
// command name (also a name that appears at exec), and not following
// children; and stopping a capture with a signal.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <thread>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

std::set<int64_t> pids_in(const std::vector<Json>& events) {
  std::set<int64_t> out;
  for (const auto& e : events) out.insert(int_of(e, "pid").value_or(-1));
  return out;
}

void expect_clean_stop(const Outcome& cap) {
  auto total = closing_row(cap.err, "total");
  ASSERT_TRUE(total.has_value()) << "no closing table: " << cap.describe();
  EXPECT_EQ(total->second, 0u) << "records lost:\n" << cap.err;
}

bool unfinished(const Json& e) { return e.value("unfinished", false); }

// The looping workload's calls, from both its threads. The capture stops
// while the loop runs, so each thread may have one call in flight: it is
// reported unfinished, without a return value. Other processes in the
// capture (the comm filter's runs) end in exit_group, unfinished too: only
// `pid`'s calls are counted.
void expect_loop_calls(const std::vector<Json>& events, int64_t pid) {
  auto in_flight = select(events, [&](const Json& e) { return is_call(e) && int_of(e, "pid") == pid && unfinished(e); });
  EXPECT_LE(in_flight.size(), 2u) << "two threads: " << summary(in_flight);
  std::set<int64_t> in_flight_tids;
  for (const auto& e : in_flight) {
    EXPECT_TRUE(in_flight_tids.insert(int_of(e, "tid").value_or(0)).second)
        << "two calls in flight in one thread: " << summary(in_flight);
  }
  auto getpids = calls(events, "getpid", pid);
  EXPECT_GE(getpids.size(), 10u) << summary(events);
  for (const auto& e : getpids) {
    if (!unfinished(e)) {
      EXPECT_EQ(int_of(e, "ret"), pid) << e.dump();
    }
  }
  auto main_seeks = select(events, [&](const Json& e) {
    return is_call(e, "lseek") && int_of(e, "pid") == pid && arg_of(e, "offset") == kLoopOffset;
  });
  EXPECT_GE(main_seeks.size(), 10u);
  for (const auto& e : main_seeks) {
    EXPECT_EQ(int_of(e, "tid"), pid) << "the main thread's tid is the pid: " << e.dump();
    if (!unfinished(e)) {
      EXPECT_EQ(int_of(e, "ret"), kLoopOffset) << e.dump();
    }
  }
  auto thread_seeks = select(events, [&](const Json& e) {
    return is_call(e, "lseek") && int_of(e, "pid") == pid && arg_of(e, "offset") == kLoopThreadOffset;
  });
  EXPECT_GE(thread_seeks.size(), 10u) << "the second thread is traced too";
  std::set<int64_t> tids;
  for (const auto& e : thread_seeks) tids.insert(int_of(e, "tid").value_or(0));
  EXPECT_EQ(tids.size(), 1u);
  if (!tids.empty()) {
    EXPECT_NE(*tids.begin(), pid) << "the second thread has its own tid";
  }
}

// No target: the whole system, etrace-capture itself excepted.
TEST_F(LiveTest, NoTargetTracesTheWholeSystemButItself) {
  std::string error;
  auto busy = Background::start({kWorkload, "loop"}, dir_.path(), error);
  ASSERT_TRUE(busy.has_value()) << error;
  const int64_t busy_pid = pid_of_ready_line(*busy);
  ASSERT_GT(busy_pid, 0) << busy->first_line();

  const std::string out = file("system.etrace");
  auto cap = Background::launch({kCapture, "--duration", "1", "-o", out}, dir_.path(), error);
  ASSERT_TRUE(cap.has_value()) << error;
  const int64_t capture_pid = cap->pid();
  Outcome o = cap->wait();
  EXPECT_EQ(o.status, 0) << o.describe();

  auto events = decode_json(out);
  const auto pids = pids_in(events);
  EXPECT_TRUE(pids.count(busy_pid)) << "a process nobody named is traced: " << summary(events);
  EXPECT_FALSE(pids.count(capture_pid)) << "etrace-capture traced itself: " << summary(events);
  EXPECT_FALSE(calls(events, "getpid", busy_pid).empty()) << summary(events);
}

TEST_F(LiveTest, AttachByPidTracesThatProcessOnly) {
  std::string error;
  auto other = Background::start({kWorkload, "loop"}, dir_.path(), error);  // same program, not the target
  ASSERT_TRUE(other.has_value()) << error;
  auto target = Background::start({kWorkload, "loop"}, dir_.path(), error);
  ASSERT_TRUE(target.has_value()) << error;
  const int64_t pid = pid_of_ready_line(*target);
  ASSERT_GT(pid, 0) << target->first_line();

  const std::string out = file("attach.etrace");
  const auto start = std::chrono::steady_clock::now();
  Outcome cap = capture({"-p", std::to_string(pid), "--duration", "2", "-o", out});
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(cap.status, 0) << cap.describe();
  EXPECT_NE(cap.err.find("stopped (duration elapsed)"), std::string::npos) << cap.err;
  EXPECT_GE(took, 1900ms);
  EXPECT_LE(took, 15s);
  expect_clean_stop(cap);
  ASSERT_EQ(kill(target->pid(), 0), 0) << "attaching must not disturb the target";

  auto events = decode_json(out);
  EXPECT_EQ(pids_in(events), std::set<int64_t>{pid}) << summary(events);
  expect_loop_calls(events, pid);
}

TEST_F(LiveTest, AttachByThreadIdTracesTheWholeProcess) {
  std::string error;
  auto target = Background::start({kWorkload, "loop"}, dir_.path(), error);
  ASSERT_TRUE(target.has_value()) << error;
  const int64_t pid = pid_of_ready_line(*target);
  int64_t tid = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task"))
    if (std::stoll(entry.path().filename().string()) != pid) tid = std::stoll(entry.path().filename().string());
  ASSERT_GT(tid, 0) << "the loop's second thread";

  const std::string out = file("thread.etrace");
  Outcome cap = capture({"-p", std::to_string(tid), "--duration", "1", "-o", out});
  EXPECT_EQ(cap.status, 0) << cap.describe();
  expect_clean_stop(cap);

  auto events = decode_json(out);
  EXPECT_EQ(pids_in(events), std::set<int64_t>{pid}) << summary(events);
  expect_loop_calls(events, pid);
}

TEST_F(LiveTest, AttachToAMissingPidIsAnError) {
  // pid_max itself is never a pid.
  const std::string pid_max = lines_of(read_file("/proc/sys/kernel/pid_max")).at(0);
  Outcome cap = capture({"-p", pid_max, "--duration", "1", "-o", file("none.etrace")});
  EXPECT_EQ(cap.status, 1) << cap.describe();
  EXPECT_NE(cap.err.find("no process with pid " + pid_max), std::string::npos) << cap.err;
}

TEST_F(LiveTest, CommFilterTracesOnlyTheNamedProcesses) {
  const std::string named = "etrace-wl-named";  // 15 bytes: all the kernel keeps
  std::string error;
  auto target = Background::start({kWorkload, "loop", named}, dir_.path(), error);
  ASSERT_TRUE(target.has_value()) << error;
  auto other = Background::start({kWorkload, "loop", "etrace-wl-other"}, dir_.path(), error);
  ASSERT_TRUE(other.has_value()) << error;
  const int64_t pid = pid_of_ready_line(*target);
  ASSERT_GT(pid, 0);

  const std::string out = file("comm.etrace");
  auto cap = Background::launch({kCapture, "-c", named, "--duration", "3", "-o", out}, dir_.path(), error);
  ASSERT_TRUE(cap.has_value()) << error;
  ASSERT_TRUE(wait_for_nonempty(out)) << "etrace-capture did not attach: " << cap->stop(SIGKILL).describe();

  // While it runs, the scripted run twice: under its own name (not traced),
  // and exec'd through a link that gives it the traced name from its exec on.
  const std::string link = file(named);
  ASSERT_EQ(symlink(kWorkload.c_str(), link.c_str()), 0);
  Outcome plain = run({kWorkload, "run"}, dir_.path());
  EXPECT_EQ(plain.status, kExit) << plain.describe();
  Outcome renamed = run({link, "run"}, dir_.path());
  EXPECT_EQ(renamed.status, kExit) << renamed.describe();

  Outcome o = cap->wait();
  EXPECT_EQ(o.status, 0) << o.describe();
  expect_clean_stop(o);

  auto events = decode_json(out);
  for (const auto& e : events)
    if (e.contains("comm") && !is_null(e, "comm")) {
      EXPECT_EQ(str_of(e, "comm"), named) << e.dump();
    }
  expect_loop_calls(events, pid);

  // The renamed run: found by its parent's distinctive lseek; it and its
  // child are the only other processes, and all its getpids are there.
  auto seeks = select(events, [](const Json& e) { return is_call(e, "lseek") && arg_of(e, "offset") == kParentOffset; });
  ASSERT_EQ(seeks.size(), 1u) << "only the renamed run's lseek: " << summary(calls(events, "lseek"));
  const int64_t run_pid = *int_of(seeks[0], "pid");
  EXPECT_EQ(static_cast<int64_t>(calls(events, "getpid", run_pid).size()), kGetpids);
  auto forks = select(events, [&](const Json& e) { return is_process(e, "fork") && int_of(e, "pid") == run_pid; });
  ASSERT_EQ(forks.size(), 1u);
  const int64_t child = *int_of(forks[0], "child_pid");
  EXPECT_EQ(pids_in(events), (std::set<int64_t>{pid, run_pid, child})) << summary(events);
}

TEST_F(LiveTest, NoFollowLeavesChildrenOut) {
  const std::string out = file("nofollow.etrace");
  Outcome cap = capture({"--no-follow", "-o", out, "--", kWorkload, "run"});
  EXPECT_EQ(cap.status, kExit) << cap.describe();
  expect_clean_stop(cap);

  auto events = decode_json(out);
  auto forks = select(events, [](const Json& e) { return is_call(e, "clone") || is_call(e, "clone3"); });
  ASSERT_EQ(forks.size(), 1u) << summary(events);
  const int64_t parent = *int_of(forks[0], "pid");
  const int64_t child = int_of(forks[0], "ret").value_or(0);
  ASSERT_GT(child, 0);
  EXPECT_EQ(pids_in(events), std::set<int64_t>{parent}) << summary(events);
  EXPECT_TRUE(select(events, [](const Json& e) { return arg_of(e, "offset") == kChildOffset; }).empty());
  EXPECT_EQ(int_of(calls(events, "wait4", parent).at(0), "ret"), child) << "the parent's own calls still name it";
}

TEST_F(LiveTest, StopsCleanlyOnSigintAndSigterm) {
  std::string error;
  auto target = Background::start({kWorkload, "loop"}, dir_.path(), error);
  ASSERT_TRUE(target.has_value()) << error;
  const int64_t pid = pid_of_ready_line(*target);
  for (int sig : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(sigabbrev_np(sig));
    const std::string out = file(std::string("stopped-") + sigabbrev_np(sig) + ".etrace");
    auto cap = Background::launch({kCapture, "-p", std::to_string(pid), "-o", out}, dir_.path(), error);
    ASSERT_TRUE(cap.has_value()) << error;
    ASSERT_TRUE(wait_for_nonempty(out)) << cap->stop(SIGKILL).describe();
    std::this_thread::sleep_for(1500ms);  // past the first flush of events
    Outcome o = cap->stop(sig, 10s);
    EXPECT_EQ(o.status, 0) << o.describe();
    EXPECT_NE(o.err.find(std::string("stopped (signal ") + sigabbrev_np(sig) + ")"), std::string::npos) << o.err;
    expect_clean_stop(o);
    ASSERT_EQ(kill(target->pid(), 0), 0) << "the traced process lives on";

    if (kDecode.empty()) continue;
    auto events = decode_json(out);  // no warning: the trailer was written
    EXPECT_EQ(pids_in(events), std::set<int64_t>{pid});
    expect_loop_calls(events, pid);
  }
}

// A process that takes the traced name with prctl(PR_SET_NAME) after the
// capture started is traced from then on, all its threads (the verdict was
// once cached per thread at first sight, so only later threads were traced).
TEST_F(LiveTest, CommFilterSeesARenameAfterTheCaptureStarted) {
  const std::string named = "etrace-wl-late";
  const std::string out = file("late.etrace");
  std::string error;
  auto cap = Background::launch({kCapture, "-c", named, "--duration", "2", "-o", out}, dir_.path(), error);
  ASSERT_TRUE(cap.has_value()) << error;
  ASSERT_TRUE(wait_for_nonempty(out)) << cap->stop(SIGKILL).describe();
  auto target = Background::start({kWorkload, "loop", named}, dir_.path(), error);
  ASSERT_TRUE(target.has_value()) << error;
  const int64_t pid = pid_of_ready_line(*target);
  Outcome o = cap->wait();
  EXPECT_EQ(o.status, 0) << o.describe();
  auto events = decode_json(out);
  expect_loop_calls(events, pid);
}

// Threads of a process dying together (SIGKILL, exit_group): one "exit",
// the others "thread_exit". Once each could see signal->live == 0 and report
// the process's exit, in a few percent of kills; hence the repetitions.
TEST_F(LiveTest, ProcessExitIsReportedOnceWhenThreadsDieTogether) {
  // The race is between the threads' exits: one capture, many processes of
  // four threads each, killed while every thread is making calls.
  constexpr int kTimes = 24;
  const std::string out = file("crowds.etrace");
  Outcome o = run({kCapture, "-q", "-o", out, "--", kWorkload, "crowds", std::to_string(kTimes), "4"}, dir_.path());
  ASSERT_EQ(o.status, 0) << o.describe();
  auto events = decode_json(out);
  auto children = select(events, [](const Json& e) {
    return is_process(e, "fork") && int_of(e, "child_pid") != int_of(e, "pid");
  });
  ASSERT_EQ(children.size(), static_cast<size_t>(kTimes)) << summary(children);
  for (const Json& fork : children) {
    const int64_t pid = int_of(fork, "child_pid").value_or(-1);
    SCOPED_TRACE("child " + std::to_string(pid));
    auto exits = select(events, [&](const Json& e) { return is_process(e, "exit") && int_of(e, "pid") == pid; });
    auto thread_exits =
        select(events, [&](const Json& e) { return is_process(e, "thread_exit") && int_of(e, "pid") == pid; });
    ASSERT_EQ(exits.size(), 1u) << summary(exits);
    EXPECT_EQ(str_of(exits[0], "signal"), "SIGKILL") << exits[0].dump();
    EXPECT_EQ(thread_exits.size(), 3u) << summary(thread_exits);
  }
}

}  // namespace
}  // namespace etrace::live
