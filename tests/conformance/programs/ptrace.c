// ptrace: a parent tracing two children through the common requests. The
// children are made with CLONE_UNTRACED, so that strace (the reference)
// does not attach to them first and they can be traced here; each waits
// in pause() until it is killed.
#include "program.h"

#include <linux/ptrace.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/user.h>

static long trace(long request, long pid, void *addr, void *data) {
  return syscall(SYS_ptrace, request, pid, addr, data);
}

static int sleeper(void) {
  long pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
  REQUIRE(pid >= 0);
  if (pid == 0)
    for (;;) syscall(SYS_pause);
  return (int)pid;
}

static long word = 0x1234;

int main(void) {
  int status;
  long value = 0;
  int child = sleeper();
  REQUIRE(trace(PTRACE_ATTACH, child, NULL, NULL) == 0);
  REQUIRE(syscall(SYS_wait4, child, &status, 0, NULL) == child);
  trace(PTRACE_SETOPTIONS, child, NULL, (void *)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
  trace(PTRACE_PEEKDATA, child, &word, &value);
  trace(PTRACE_POKEDATA, child, &word, (void *)0x5678);
  trace(PTRACE_PEEKTEXT, child, &word, &value);
  trace(PTRACE_PEEKUSR, child, (void *)offsetof(struct user, regs.orig_rax), &value);
  struct user_regs_struct regs;
  trace(PTRACE_GETREGS, child, NULL, &regs);
  trace(PTRACE_SETREGS, child, NULL, &regs);
  unsigned long message = 0;
  trace(PTRACE_GETEVENTMSG, child, NULL, &message);
  trace(PTRACE_SYSCALL, child, NULL, NULL);
  REQUIRE(syscall(SYS_wait4, child, &status, 0, NULL) == child);
  trace(PTRACE_KILL, child, NULL, NULL);
  REQUIRE(syscall(SYS_wait4, child, &status, 0, NULL) == child);

  child = sleeper();
  REQUIRE(trace(PTRACE_SEIZE, child, NULL, (void *)PTRACE_O_TRACEEXIT) == 0);
  trace(PTRACE_INTERRUPT, child, NULL, NULL);
  REQUIRE(syscall(SYS_wait4, child, &status, 0, NULL) == child);
  trace(PTRACE_DETACH, child, NULL, NULL);
  syscall(SYS_kill, child, SIGKILL);
  REQUIRE(syscall(SYS_wait4, child, &status, 0, NULL) == child);
  trace(PTRACE_CONT, child, NULL, (void *)SIGCONT);  // ESRCH: reaped
  return 0;
}
