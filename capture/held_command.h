// Run-a-command mode: the command is forked at once but held back before
// exec until tracing is attached, so its first traced syscall is its execve.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace etrace::capture {

class HeldCommand {
 public:
  // Forks the child, which waits for release(). Returns null on failure.
  static std::unique_ptr<HeldCommand> start(const std::vector<std::string>& argv, std::string& error);

  HeldCommand(const HeldCommand&) = delete;
  HeldCommand& operator=(const HeldCommand&) = delete;
  ~HeldCommand();

  pid_t pid() const { return pid_; }
  bool exited() const { return exited_; }

  // Lets the child exec. Returns false with `error` when the exec failed
  // (the failed execve itself is still traced).
  bool release(std::string& error);

  // Non-blocking: true once the child has exited; its wait status in `status`.
  bool reap(int& status);

 private:
  HeldCommand(pid_t pid, int go_fd, int exec_err_fd) : pid_(pid), go_fd_(go_fd), exec_err_fd_(exec_err_fd) {}

  pid_t pid_;
  bool exited_ = false;
  int go_fd_;        // write end: one byte releases the child; closing it ends the child
  int exec_err_fd_;  // read end: the child's errno if execvp failed, EOF if it succeeded
  std::vector<std::string> argv_;
};

}  // namespace etrace::capture
