// Issue 14, items 4 and 7, on real captures: the traced command inherits
// what etrace-capture was given, as it would have run without it; and when
// the capture stops first, the command goes on untraced and etrace-capture
// says so, or with --kill-on-exit the command and what it started die.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "tests/live/live_fixture.h"
#include "tests/support/caller_state.h"

namespace etrace::live {
namespace {

// Runs argv as a caller that gives it SIGPIPE and SIGHUP ignored, SIGUSR1
// and SIGTERM blocked, 200 descriptors, umask 027 and no_new_privs (as `trap '' PIPE
// HUP; ulimit -Sn 200; umask 027` and a blocking parent would); stdout and
// stderr into files in `dir`.
Outcome run_given(const std::vector<std::string>& argv, const std::string& dir, const std::string& tag) {
  const std::string out = dir + "/" + tag + ".out", err = dir + "/" + tag + ".err";
  const pid_t pid = fork();
  if (pid == 0) {
    test::give_caller_state();
    const int in = open("/dev/null", O_RDONLY), o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600),
              e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(126);
  }
  Outcome o;
  int status = 0;
  waitpid(pid, &status, 0);
  o.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  o.out = read_file(out);
  o.err = read_file(err);
  return o;
}

TEST_F(LiveTest, CommandInheritsWhatEtraceCaptureWasGiven) {
  const std::vector<std::string> report = {"/bin/cat", "/proc/self/status", "/proc/self/limits"};
  const Outcome native = run_given(report, dir_.path(), "native");
  ASSERT_EQ(native.status, 0) << native.describe();
  std::vector<std::string> traced_argv = {kCapture, "-q", "-o", file("inherit.raw"), "--"};
  traced_argv.insert(traced_argv.end(), report.begin(), report.end());
  const Outcome traced = run_given(traced_argv, dir_.path(), "traced");
  ASSERT_EQ(traced.status, 0) << traced.describe();
  const std::string want = test::inherited_view(native.out);
  ASSERT_NE(want.find("SigIgn:\t0000000000001001"), std::string::npos) << want;
  EXPECT_EQ(test::inherited_view(traced.out), want);
}

TEST_F(LiveTest, IgnoredSigpipeStaysIgnoredInTheCommand) {
  // trap '' PIPE; yes | head -1: yes meets EPIPE and exits 1, natively and traced.
  const std::vector<std::string> pipeline = {"/bin/bash", "-c", "yes | head -1 >/dev/null; exit ${PIPESTATUS[0]}"};
  const Outcome native = run_given(pipeline, dir_.path(), "native");
  EXPECT_EQ(native.status, 1) << native.describe();
  std::vector<std::string> traced_argv = {kCapture, "-q", "-o", file("yes.raw"), "--"};
  traced_argv.insert(traced_argv.end(), pipeline.begin(), pipeline.end());
  const Outcome traced = run_given(traced_argv, dir_.path(), "traced");
  EXPECT_EQ(traced.status, native.status) << "141 is yes killed by SIGPIPE; " << traced.describe();
}

// Whether process `pid` is gone (or a zombie), waiting up to 5 s for it.
bool gone(int64_t pid) {
  for (int i = 0; i < 500; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (!stat || close == std::string::npos || text.compare(close + 2, 1, "Z") == 0) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST_F(LiveTest, StoppedCaptureSaysTheCommandGoesOnUntraced) {
  std::string error;
  auto cap = Background::start({kCapture, "-o", file("loop.raw"), "--", kWorkload, "loop"}, dir_.path(), error);
  ASSERT_TRUE(cap.has_value()) << error;
  const int64_t pid = pid_of_ready_line(*cap);
  ASSERT_GT(pid, 0) << cap->first_line();
  Outcome o = cap->stop(SIGINT);
  EXPECT_EQ(o.status, 0) << o.describe();
  EXPECT_NE(o.err.find("stopped (signal INT); "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("; the command (pid " + std::to_string(pid) +
                       ") goes on running, no longer traced (--kill-on-exit stops it with the capture)\n"),
            std::string::npos)
      << o.err;
  EXPECT_FALSE(gone(pid)) << "it does go on";
  kill(static_cast<pid_t>(pid), SIGKILL);
}

TEST_F(LiveTest, KillOnExitTakesTheCommandAndWhatItStarted) {
  const std::string out = file("kill.raw");
  const std::string script = kWorkload + " loop & " + kWorkload + " loop & wait";
  std::string error;
  auto cap = Background::start({kCapture, "--kill-on-exit", "-o", out, "--", "/bin/sh", "-c", script}, dir_.path(),
                               error);
  ASSERT_TRUE(cap.has_value()) << error;
  const int64_t first = pid_of_ready_line(*cap);
  ASSERT_GT(first, 0) << cap->first_line();
  std::this_thread::sleep_for(300ms);  // the second loop is running too
  Outcome o = cap->stop(SIGINT);
  EXPECT_EQ(o.status, 0) << o.describe();
  long shell = 0;
  const auto at = o.err.find("; the command (pid ");
  ASSERT_NE(at, std::string::npos) << o.err;
  ASSERT_EQ(std::sscanf(o.err.c_str() + at, "; the command (pid %ld) and the 2 processes it started were killed "
                                             "(--kill-on-exit)",
                        &shell),
            1)
      << o.err;
  EXPECT_TRUE(gone(first));
  // Killed while traced: the capture shows the two loops dying of SIGKILL.
  auto events = decode_json(out);
  auto killed = select(events, [](const Json& e) { return is_process(e, "exit") && str_of(e, "signal") == "SIGKILL"; });
  EXPECT_EQ(killed.size(), 3u) << summary(select(events, [](const Json& e) { return is_process(e, "exit"); }));
}

TEST_F(LiveTest, KillOnExitTakesTheCommandWhenTheCaptureIsKilled) {
  std::string error;
  auto cap = Background::start({kCapture, "--kill-on-exit", "-o", file("k.raw"), "--", kWorkload, "loop"},
                               dir_.path(), error);
  ASSERT_TRUE(cap.has_value()) << error;
  const int64_t pid = pid_of_ready_line(*cap);
  ASSERT_GT(pid, 0) << cap->first_line();
  EXPECT_EQ(cap->stop(SIGKILL).status, 128 + SIGKILL);
  EXPECT_TRUE(gone(pid)) << "the kernel's parent-death signal took it";
  kill(static_cast<pid_t>(pid), SIGKILL);
}

TEST_F(LiveTest, CaptureGivenBlockedStopSignalsStillStops) {
  // Started with SIGTERM blocked (the command gets it blocked back).
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  const std::string err = file("capture.err");
  const pid_t pid = fork();
  if (pid == 0) {
    test::give_caller_state();
    dup2(fds[1], 1);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(e, 2);
    execl(kCapture.c_str(), kCapture.c_str(), "-o", file("blocked.raw").c_str(), "--", kWorkload.c_str(), "loop",
          nullptr);
    _exit(126);
  }
  close(fds[1]);
  std::string line;
  char c;
  pollfd p{fds[0], POLLIN, 0};
  while (line.find('\n') == std::string::npos && poll(&p, 1, 10000) > 0 && read(fds[0], &c, 1) == 1) line += c;
  close(fds[0]);
  long workload = 0;
  ASSERT_EQ(std::sscanf(line.c_str(), "ready %ld", &workload), 1) << line << read_file(err);
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  for (int i = 0; i < 1000 && waitpid(pid, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(10ms);
  if (!WIFEXITED(status)) kill(pid, SIGKILL);
  kill(static_cast<pid_t>(workload), SIGKILL);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(err);
  EXPECT_NE(read_file(err).find("stopped (signal TERM)"), std::string::npos) << read_file(err);
}

TEST_F(LiveTest, KillOnExitNeedsACommand) {
  Outcome o = capture({"--kill-on-exit", "-p", "1", "-o", file("never.raw")});
  EXPECT_EQ(o.status, 2) << o.describe();
  EXPECT_EQ(lines_of(o.err).size(), 1u) << o.err;
  EXPECT_FALSE(std::ifstream(file("never.raw")).good());
}

}  // namespace
}  // namespace etrace::live
