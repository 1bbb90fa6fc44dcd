#include "tests/support/caller_state.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <sstream>

namespace etrace::test {

void give_caller_state() {
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  struct rlimit nofile;
  getrlimit(RLIMIT_NOFILE, &nofile);
  nofile.rlim_cur = 200;
  setrlimit(RLIMIT_NOFILE, &nofile);
  umask(027);
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

std::string inherited_view(const std::string& status_then_limits) {
  std::istringstream in(status_then_limits);
  std::string line, out;
  bool limits = false;
  while (std::getline(in, line)) {
    limits = limits || line.rfind("Limit", 0) == 0;
    for (const char* key : {"SigIgn:", "SigBlk:", "CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:",
                            "NoNewPrivs:", "Seccomp:", "Umask:"})
      if (limits || line.rfind(key, 0) == 0) {
        out += line + "\n";
        break;
      }
  }
  return out;
}

}  // namespace etrace::test
