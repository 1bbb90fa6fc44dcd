// Run-a-command mode: the command is forked at once but held back before
// exec until tracing is attached, so its first traced syscall is its execve.
// It runs as it would have without etrace-capture: just before its exec it
// gets back the signal dispositions and mask, resource limits and umask that
// etrace-capture itself was given (InheritedState, taken as it started).
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace etrace::capture {

// The attributes a command inherits through fork and exec that
// etrace-capture may change in itself: taken when it starts, before it
// changes anything, and put back in the command.
struct InheritedState {
  // This process's, now.
  static InheritedState of_this_process();
  // Puts them back in this process: in the command, between fork and exec
  // (async-signal-safe). 0, or the errno of what could not be put back.
  int restore() const;

  std::array<bool, NSIG> ignored{};  // the signals set to SIG_IGN (the rest: SIG_DFL, as exec leaves them)
  sigset_t mask{};
  std::array<struct rlimit, RLIM_NLIMITS> limits{};
  mode_t umask = 022;
};

class HeldCommand {
 public:
  // Forks the child, which waits for release(). With `kill_on_exit`, the
  // kernel kills it (SIGKILL) if etrace-capture dies first (its parent-death
  // signal; cleared by the exec of a set-user-ID or file-capability program).
  // Never null.
  static Result<std::unique_ptr<HeldCommand>> start(const std::vector<std::string>& argv,
                                                    const InheritedState& inherited, bool kill_on_exit);

  HeldCommand(const HeldCommand&) = delete;
  HeldCommand& operator=(const HeldCommand&) = delete;
  ~HeldCommand();

  pid_t pid() const { return pid_; }
  bool exited() const { return exited_; }

  // Lets the child exec. An error when the exec failed (the failed execve
  // itself is still traced).
  Result<void> release();

  // Non-blocking: true once the child has exited; its wait status in `status`.
  bool reap(int& status);

  // --kill-on-exit: stops the command and every process descended from it
  // (SIGSTOP, until /proc shows no new one: a stopped process forks no
  // more), then kills them all (SIGKILL), and reaps the command. Returns
  // how many processes were killed, the command included.
  size_t kill_tree();

 private:
  HeldCommand(pid_t pid, int go_fd, int exec_err_fd) : pid_(pid), go_fd_(go_fd), exec_err_fd_(exec_err_fd) {}

  pid_t pid_;
  bool exited_ = false;
  int go_fd_;        // write end: one byte releases the child; closing it ends the child
  int exec_err_fd_;  // read end: what failed in the child (ChildFailure), EOF if its exec succeeded
  std::vector<std::string> argv_;
};

// The processes descended from `root` (its children, theirs...), from /proc.
std::vector<pid_t> descendants_of(pid_t root);

}  // namespace etrace::capture
