#include "capture/live_view.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

namespace etrace::capture {

namespace {

// Room for about a second of a busy capture's frames, so a slow terminal
// holds up the writer as late as possible.
constexpr int kPipeBytes = 1 << 20;

// etrace-decode beside this program (a build tree, an install), or "" to
// look it up in PATH.
std::string decoder_beside_us() {
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) return "";
  std::string path(self, static_cast<size_t>(n));
  path = path.substr(0, path.rfind('/') + 1) + "etrace-decode";
  return access(path.c_str(), X_OK) == 0 ? path : "";
}

}  // namespace

Result<std::unique_ptr<LiveView>> LiveView::start() {
  const std::string decoder = decoder_beside_us();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Error{std::string("--live: cannot make a pipe: ") + std::strerror(errno)};
  (void)fcntl(fds[1], F_SETPIPE_SZ, kPipeBytes);  // a smaller pipe only lags sooner
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(fds[0]);
    close(fds[1]);
    return Error{std::string("--live: cannot start etrace-decode: ") + std::strerror(err)};
  }
  if (pid == 0) {
    signal(SIGINT, SIG_IGN);  // the terminal's ^C stops the capture, which then ends the view
    signal(SIGTERM, SIG_IGN);
    if (dup2(fds[0], STDIN_FILENO) < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) _exit(127);
    if (decoder.empty())
      execlp("etrace-decode", "etrace-decode", "-", static_cast<char*>(nullptr));
    else
      execl(decoder.c_str(), "etrace-decode", "-", static_cast<char*>(nullptr));
    const char msg[] = "etrace-capture: --live: etrace-decode is neither beside etrace-capture nor in PATH\n";
    (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
    _exit(127);
  }
  close(fds[0]);
  return std::unique_ptr<LiveView>(new LiveView(pid, fds[1]));
}

void LiveView::finish() {
  if (fd_ < 0) return;
  close(fd_);
  fd_ = -1;
  int status;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace etrace::capture
