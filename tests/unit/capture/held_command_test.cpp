// The command etrace-capture runs gets what etrace-capture was given (issue
// 14, item 4): a command started directly and the same command started as a
// HeldCommand, after etrace-capture-like changes to the starting process,
// see the same signal dispositions and mask, capabilities, no_new_privs,
// resource limits and umask. And --kill-on-exit's kill takes the command's
// whole tree (item 7).
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "capture/held_command.h"
#include "tests/support/caller_state.h"
#include "tests/support/scratch_files.h"
#include "tests/unit/error_of.h"

namespace etrace::capture {
namespace {

using namespace std::chrono_literals;

using etrace::test::read_file;

const std::vector<std::string> kReport = {"/bin/cat", "/proc/self/status", "/proc/self/limits"};

// Runs argv with stdout to `out`, directly (fork and exec), and waits.
void run_directly(const std::vector<std::string>& argv, const std::string& out) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
}

// Runs argv as a HeldCommand given `inherited`, its stdout on `out_fd`
// (closed here); its wait status, -1 when it could not run.
int run_held(const std::vector<std::string>& argv, const InheritedState& inherited, int out_fd) {
  const int saved = dup(1);
  dup2(out_fd, 1);
  close(out_fd);
  auto command = HeldCommand::start(argv, inherited, false);
  dup2(saved, 1);
  close(saved);
  if (!command || !(*command)->release()) return -1;
  int status = -1;
  while (!(*command)->reap(status)) std::this_thread::sleep_for(1ms);
  return status;
}

// What etrace-capture does, or might do, to itself once started: handlers
// for its stop signals, SIGPIPE ignored, signals blocked and unblocked, a
// higher limit, another umask.
void change_like_etrace_capture() {
  struct sigaction sa {};
  sa.sa_handler = [](int) {};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_DFL);
  signal(SIGUSR2, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  sigemptyset(&set);
  sigaddset(&set, SIGQUIT);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  struct rlimit nofile;
  getrlimit(RLIMIT_NOFILE, &nofile);
  nofile.rlim_cur = nofile.rlim_max;
  setrlimit(RLIMIT_NOFILE, &nofile);
  umask(0);
}

class HeldCommandTest : public ::testing::Test {
 protected:
  // Runs `scenario` in a child process of the test (it changes the process
  // it runs in); its exit code.
  template <typename F>
  int in_child(F scenario) {
    const pid_t pid = fork();
    if (pid == 0) _exit(scenario());
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  etrace::test::TempDir temp_{"etrace-held"};
  const std::string dir_ = temp_.path();
};

TEST_F(HeldCommandTest, CommandInheritsExactlyWhatItWouldHaveNatively) {
  const std::string native = dir_ + "/native", traced = dir_ + "/traced", given = dir_ + "/given";
  const int code = in_child([&] {
    // What the caller of etrace-capture handed it, and an inheritable capability.
    test::give_caller_state();
    if (geteuid() == 0) {
      // An inheritable capability (root's permitted set allows it).
      __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
      __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
      if (syscall(SYS_capget, &header, data) != 0) return 2;
      data[0].inheritable |= 1u << CAP_NET_RAW;
      if (syscall(SYS_capset, &header, data) != 0) return 2;
    }
    const InheritedState inherited = InheritedState::of_this_process();
    run_directly(kReport, native);
    run_directly(kReport, given);
    change_like_etrace_capture();
    return run_held(kReport, inherited, open(traced.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600)) == 0 ? 0 : 3;
  });
  ASSERT_EQ(code, 0);
  const std::string want = test::inherited_view(read_file(native));
  ASSERT_NE(want.find("SigIgn:\t0000000000001001"), std::string::npos) << "the setup took: " << want;
  ASSERT_NE(want.find("NoNewPrivs:\t1"), std::string::npos) << want;
  if (geteuid() == 0) {
    ASSERT_NE(want.find("CapInh:\t0000000000002000"), std::string::npos) << want;
  }
  EXPECT_EQ(test::inherited_view(read_file(traced)), want);
  EXPECT_EQ(test::inherited_view(read_file(given)), want) << "two direct runs agree";
}

TEST_F(HeldCommandTest, IgnoredSigpipeStaysIgnoredSoYesExitsOnEpipe) {
  // trap '' PIPE; yes | head -1: yes gets EPIPE and exits 1, natively and traced.
  const int code = in_child([&] {
    signal(SIGPIPE, SIG_IGN);
    const InheritedState inherited = InheritedState::of_this_process();
    int fds[2];
    if (pipe(fds) != 0) return 2;
    close(fds[0]);  // the reader is gone at once
    const int status = run_held({"/usr/bin/yes"}, inherited, fds[1]);
    if (status < 0) return 3;
    if (WIFSIGNALED(status)) return 100 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
  });
  EXPECT_EQ(code, 1) << "113 would be yes killed by SIGPIPE";
}

TEST_F(HeldCommandTest, KillTreeTakesTheCommandAndWhatItStarted) {
  auto started = HeldCommand::start({"/bin/sh", "-c", "sleep 60 & sleep 60 & sh -c 'sleep 60' & wait"},
                                    InheritedState::of_this_process(), true);
  ASSERT_TRUE(started) << started.error().message;
  auto& command = *started;
  ASSERT_EQ(etrace::test::error_of(command->release()), "");
  // sh, its three children and the grandchild sleep.
  std::vector<pid_t> tree;
  for (int i = 0; i < 2000 && tree.size() < 4; ++i) {
    std::this_thread::sleep_for(5ms);
    tree = descendants_of(command->pid());
  }
  ASSERT_EQ(tree.size(), 4u);
  EXPECT_EQ(command->kill_tree(), 5u);
  EXPECT_TRUE(command->exited());
  for (pid_t p : tree) {
    bool gone = false;
    for (int i = 0; i < 1000 && !gone; ++i) {
      std::ifstream stat("/proc/" + std::to_string(p) + "/stat");
      std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
      const auto close = text.rfind(')');
      gone = !stat || close == std::string::npos || text[close + 2] == 'Z';
      if (!gone) std::this_thread::sleep_for(2ms);
    }
    EXPECT_TRUE(gone) << "pid " << p << " still runs";
  }
}

TEST_F(HeldCommandTest, CommandThatCannotRunIsReported) {
  auto started = HeldCommand::start({"/nonexistent/etrace-command"}, InheritedState::of_this_process(), false);
  ASSERT_TRUE(started) << started.error().message;
  auto& command = *started;
  EXPECT_EQ(etrace::test::error_of(command->release()),
            "cannot run '/nonexistent/etrace-command': No such file or directory");
  int status = 0;
  while (!command->reap(status)) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(WEXITSTATUS(status), 127);
}

}  // namespace
}  // namespace etrace::capture
