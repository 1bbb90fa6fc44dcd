// Processes and signals: children made by fork, vfork and posix_spawn, exec
// of a program and of a missing file, waiting, signals sent and handled,
// and the identity and limit calls. Every child's fate is fixed (it exits,
// or kills itself), so both runs see the same calls in every process.
#include "program.h"

#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>

extern char** environ;

static void on_usr1(int sig) { (void)sig; }

static char alt_stack[16384];

int main(void) {
  syscall(SYS_getpid);
  syscall(SYS_getppid);
  syscall(SYS_gettid);
  syscall(SYS_getuid);
  syscall(SYS_geteuid);
  syscall(SYS_getgid);
  syscall(SYS_getegid);
  syscall(SYS_setpgid, 0, 0);
  syscall(SYS_getpgid, 0);
  syscall(SYS_prctl, PR_SET_NAME, "conf-procs", 0, 0, 0);
  char name[16];
  syscall(SYS_prctl, PR_GET_NAME, name, 0, 0, 0);

  struct rlimit lim;
  syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &lim);
  struct rusage ru;
  syscall(SYS_getrusage, RUSAGE_SELF, &ru);
  struct utsname un;
  syscall(SYS_uname, &un);
  struct sysinfo si;
  syscall(SYS_sysinfo, &si);

  stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof(alt_stack), .ss_flags = 0};
  syscall(SYS_sigaltstack, &ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR2);
  sigprocmask(SIG_BLOCK, &block, NULL);
  syscall(SYS_kill, syscall(SYS_getpid), SIGUSR1);
  sigprocmask(SIG_UNBLOCK, &block, NULL);

  int status = 0;
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    syscall(SYS_getpid);
    syscall(SYS_exit_group, 3);
  }
  REQUIRE(wait4(child, &status, 0, NULL) == child);

  child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    char* args[] = {"/bin/true", NULL};
    syscall(SYS_execve, "/bin/true", args, environ);
    syscall(SYS_exit_group, 126);
  }
  wait4(child, &status, 0, NULL);

  child = vfork();
  REQUIRE(child >= 0);
  if (child == 0) {
    char* args[] = {"/nonexistent/program", NULL};
    syscall(SYS_execve, "/nonexistent/program", args, environ);
    _exit(127);
  }
  wait4(child, &status, 0, NULL);

  child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    syscall(SYS_kill, syscall(SYS_getpid), SIGTERM);
    syscall(SYS_exit_group, 1);  // not reached
  }
  syscall(SYS_kill, child, 0);  // the child exists until it is reaped
  wait4(child, &status, 0, NULL);

  char* spawn_args[] = {"/bin/true", NULL};
  REQUIRE(posix_spawn(&child, "/bin/true", NULL, NULL, spawn_args, environ) == 0);
  wait4(child, &status, 0, NULL);
  wait4(-1, &status, WNOHANG, NULL);  // ECHILD: no children left
  return 0;
}
