// Signals: handlers with and without SA_SIGINFO; signals a process sends
// itself (kill, tgkill, sigqueue with a value), blocked then unblocked,
// from the kernel (alarm, a bad address, a broken pipe) and from another
// process (a child's exit, a kill between parent and child, a fatal one).
// Every signal arrives where the program decides: sent by the thread to
// itself, or held blocked until the call that unblocks it, or awaited in
// sigsuspend, so both tracers see it after the same call.
#include "program.h"

#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static sigjmp_buf recover;
// An address nothing is mapped at; volatile, so the compiler keeps the store.
static int* volatile unmapped = (int*)16;
static volatile sig_atomic_t last_signal;

static void on_signal(int sig) { last_signal = sig; }

static void on_info(int sig, siginfo_t* info, void* context) {
  (void)info;
  (void)context;
  last_signal = sig;
}

static void on_segv(int sig) {
  (void)sig;
  siglongjmp(recover, 1);
}

static void handle(int sig, void (*handler)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = handler;
  REQUIRE(sigaction(sig, &sa, NULL) == 0);
}

static void handle_info(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = on_info;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  REQUIRE(sigaction(sig, &sa, NULL) == 0);
}

static void set_mask(int how, int sig) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  REQUIRE(sigprocmask(how, &set, NULL) == 0);
}

// A child that waits in sigsuspend for its parent's signal, after telling
// it (through `ready`) that it waits; `handler` is its disposition.
static pid_t waiting_child(int ready[2], void (*handler)(int)) {
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    handle(SIGUSR1, handler);
    syscall(SYS_write, ready[1], "r", 1);
    sigset_t none;
    sigemptyset(&none);
    sigsuspend(&none);
    syscall(SYS_exit_group, 0);
  }
  char byte;
  REQUIRE(syscall(SYS_read, ready[0], &byte, 1) == 1);
  return child;
}

int main(void) {
  const pid_t self = syscall(SYS_getpid);
  handle(SIGUSR1, on_signal);
  handle_info(SIGUSR2);
  handle_info(SIGRTMIN + 1);
  handle_info(SIGCHLD);
  handle(SIGALRM, on_signal);
  handle(SIGPIPE, on_signal);
  handle(SIGSEGV, on_segv);

  // To itself: kill (SI_USER), tgkill (SI_TKILL), sigqueue (SI_QUEUE).
  syscall(SYS_kill, self, SIGUSR1);
  syscall(SYS_tgkill, self, syscall(SYS_gettid), SIGUSR2);
  union sigval value = {.sival_int = 42};
  REQUIRE(sigqueue(self, SIGUSR2, value) == 0);
  value.sival_ptr = (void*)0x5eed;
  REQUIRE(sigqueue(self, SIGRTMIN + 1, value) == 0);

  // Blocked, pending, then delivered when unblocked.
  set_mask(SIG_BLOCK, SIGUSR1);
  syscall(SYS_kill, self, SIGUSR1);
  sigset_t pending;
  syscall(SYS_rt_sigpending, &pending, 8);
  set_mask(SIG_UNBLOCK, SIGUSR1);

  // From the kernel: the alarm interrupts pause, a bad address faults, a
  // write to a pipe nobody reads breaks it (handled, then ignored).
  syscall(SYS_alarm, 1);
  syscall(SYS_pause);
  if (!sigsetjmp(recover, 1)) *unmapped = 1;
  int broken[2];
  REQUIRE(pipe(broken) == 0);
  close(broken[0]);
  syscall(SYS_write, broken[1], "x", 1);
  handle(SIGPIPE, SIG_IGN);
  syscall(SYS_write, broken[1], "x", 1);

  // From children, SIGCHLD held blocked until each is reaped.
  set_mask(SIG_BLOCK, SIGCHLD);
  int status = 0;
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) syscall(SYS_exit_group, 3);
  REQUIRE(wait4(child, &status, 0, NULL) == child);
  set_mask(SIG_UNBLOCK, SIGCHLD);

  // A kill between two processes: the child handles it, then one that
  // does not (SIGUSR1's default action ends it).
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  set_mask(SIG_BLOCK, SIGUSR1);
  for (int handled = 1; handled >= 0; --handled) {
    set_mask(SIG_BLOCK, SIGCHLD);
    child = waiting_child(ready, handled ? on_signal : SIG_DFL);
    syscall(SYS_kill, child, SIGUSR1);
    REQUIRE(wait4(child, &status, 0, NULL) == child);
    set_mask(SIG_UNBLOCK, SIGCHLD);
  }
  return 0;
}
