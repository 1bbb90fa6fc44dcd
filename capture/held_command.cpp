#include "capture/held_command.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace etrace::capture {

std::unique_ptr<HeldCommand> HeldCommand::start(const std::vector<std::string>& argv, std::string& error) {
  int go[2], err[2];
  if (pipe2(go, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return nullptr;
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    error = std::string("cannot fork: ") + std::strerror(errno);
    return nullptr;
  }
  if (pid == 0) {
    close(go[1]);
    close(err[0]);
    char byte;
    ssize_t n;
    while ((n = read(go[0], &byte, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1) _exit(127);  // the tracer went away before releasing us
    signal(SIGPIPE, SIG_DFL);
    execvp(args[0], args.data());
    int e = errno;
    (void)!write(err[1], &e, sizeof(e));
    _exit(127);
  }
  close(go[0]);
  close(err[1]);
  std::unique_ptr<HeldCommand> cmd(new HeldCommand(pid, go[1], err[0]));
  cmd->argv_ = argv;
  return cmd;
}

HeldCommand::~HeldCommand() {
  if (go_fd_ >= 0) close(go_fd_);
  if (exec_err_fd_ >= 0) close(exec_err_fd_);
}

bool HeldCommand::release(std::string& error) {
  char byte = 1;
  if (write(go_fd_, &byte, 1) != 1) {
    error = std::string("cannot release the command: ") + std::strerror(errno);
    return false;
  }
  close(go_fd_);
  go_fd_ = -1;
  int child_errno = 0;
  ssize_t n;
  while ((n = read(exec_err_fd_, &child_errno, sizeof(child_errno))) < 0 && errno == EINTR) {
  }
  close(exec_err_fd_);
  exec_err_fd_ = -1;
  if (n == sizeof(child_errno)) {
    error = "cannot run '" + argv_[0] + "': " + std::strerror(child_errno);
    return false;
  }
  return true;
}

bool HeldCommand::reap(int& status) {
  if (exited_) return false;
  exited_ = waitpid(pid_, &status, WNOHANG) == pid_;
  return exited_;
}

}  // namespace etrace::capture
