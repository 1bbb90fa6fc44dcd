#include "capture/held_command.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "capture/proc_entries.h"

namespace etrace::capture {

namespace {

// What the child reports on its error pipe when it cannot run the command.
struct ChildFailure {
  int stage;  // kRestoring or kExec
  int err;
};
constexpr int kRestoring = 1;
constexpr int kExec = 2;

// "pid (comm) S ppid ...": the state and the parent, or false when gone.
bool stat_of(pid_t pid, char& state, pid_t& ppid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream rest(text.substr(close + 1));
  long parent = 0;
  if (!(rest >> state >> parent)) return false;
  ppid = static_cast<pid_t>(parent);
  return true;
}

}  // namespace

InheritedState InheritedState::of_this_process() {
  InheritedState s;
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction sa {};
    s.ignored[static_cast<size_t>(sig)] = sigaction(sig, nullptr, &sa) == 0 && sa.sa_handler == SIG_IGN;
  }
  sigprocmask(SIG_SETMASK, nullptr, &s.mask);
  for (int r = 0; r < RLIM_NLIMITS; ++r) getrlimit(static_cast<__rlimit_resource>(r), &s.limits[static_cast<size_t>(r)]);
  s.umask = ::umask(0);
  ::umask(s.umask);
  return s;
}

int InheritedState::restore() const {
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction sa {};
    sa.sa_handler = ignored[static_cast<size_t>(sig)] ? SIG_IGN : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, nullptr);  // fails only for the C library's own signals, which it keeps
  }
  for (int r = 0; r < RLIM_NLIMITS; ++r) {
    const auto resource = static_cast<__rlimit_resource>(r);
    const struct rlimit& want = limits[static_cast<size_t>(r)];
    struct rlimit now {};
    if (getrlimit(resource, &now) != 0) continue;
    if ((now.rlim_cur != want.rlim_cur || now.rlim_max != want.rlim_max) && setrlimit(resource, &want) != 0)
      return errno;
  }
  ::umask(umask);
  if (sigprocmask(SIG_SETMASK, &mask, nullptr) != 0) return errno;
  return 0;
}

Result<std::unique_ptr<HeldCommand>> HeldCommand::start(const std::vector<std::string>& argv,
                                                        const InheritedState& inherited, bool kill_on_exit) {
  int go[2], err[2];
  if (pipe2(go, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
    return Error{std::string("cannot create a pipe: ") + std::strerror(errno)};
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();

  pid_t pid = fork();
  if (pid < 0) return Error{std::string("cannot fork: ") + std::strerror(errno)};
  if (pid == 0) {
    close(go[1]);
    close(err[0]);
    char byte;
    ssize_t n;
    while ((n = read(go[0], &byte, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1) _exit(127);  // the tracer went away before releasing us
    if (kill_on_exit && (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)) _exit(127);
    ChildFailure failure{kRestoring, inherited.restore()};
    if (failure.err == 0) {
      execvp(args[0], args.data());
      failure = {kExec, errno};
    }
    (void)!write(err[1], &failure, sizeof(failure));
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

Result<void> HeldCommand::release() {
  char byte = 1;
  if (write(go_fd_, &byte, 1) != 1) return Error{std::string("cannot release the command: ") + std::strerror(errno)};
  close(go_fd_);
  go_fd_ = -1;
  ChildFailure failure{};
  ssize_t n;
  while ((n = read(exec_err_fd_, &failure, sizeof(failure))) < 0 && errno == EINTR) {
  }
  close(exec_err_fd_);
  exec_err_fd_ = -1;
  if (n == sizeof(failure))
    return Error{failure.stage == kExec
                     ? "cannot run '" + argv_[0] + "': " + std::strerror(failure.err)
                     : "cannot give '" + argv_[0] + "' back the resource limits etrace-capture was given: " +
                           std::strerror(failure.err)};
  return {};
}

bool HeldCommand::reap(int& status) {
  if (exited_) return false;
  exited_ = waitpid(pid_, &status, WNOHANG) == pid_;
  return exited_;
}

std::vector<pid_t> descendants_of(pid_t root) {
  std::map<pid_t, std::vector<pid_t>> children;
  for (uint32_t pid : numeric_entries("/proc")) {
    char state;
    pid_t ppid;
    if (stat_of(static_cast<pid_t>(pid), state, ppid)) children[ppid].push_back(static_cast<pid_t>(pid));
  }
  std::vector<pid_t> out;
  std::vector<pid_t> todo{root};
  while (!todo.empty()) {
    const pid_t p = todo.back();
    todo.pop_back();
    for (pid_t c : children[p]) {
      out.push_back(c);
      todo.push_back(c);
    }
  }
  return out;
}

size_t HeldCommand::kill_tree() {
  if (exited_) return 0;
  std::set<pid_t> stopped{pid_};
  kill(pid_, SIGSTOP);
  for (int round = 0; round < 100; ++round) {
    // Each one stopped for real (or gone) before looking for new children.
    for (int wait = 0; wait < 100; ++wait) {
      bool running = false;
      for (pid_t p : stopped) {
        char state;
        pid_t ppid;
        if (stat_of(p, state, ppid) && state != 'T' && state != 't' && state != 'Z' && state != 'X') running = true;
      }
      if (!running) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    bool more = false;
    for (pid_t p : descendants_of(pid_))
      if (stopped.insert(p).second) {
        kill(p, SIGSTOP);
        more = true;
      }
    if (!more) break;
  }
  for (pid_t p : stopped) kill(p, SIGKILL);
  int status;
  exited_ = waitpid(pid_, &status, 0) == pid_;
  // Until each has exited (a zombie, or reaped by its parent), so that a
  // capture still attached sees it go.
  for (int wait = 0; wait < 1000; ++wait) {
    bool alive = false;
    for (pid_t p : stopped) {
      char state;
      pid_t ppid;
      if (p != pid_ && stat_of(p, state, ppid) && state != 'Z' && state != 'X') alive = true;
    }
    if (!alive) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return stopped.size();
}

}  // namespace etrace::capture
