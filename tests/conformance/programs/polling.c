// Polling: poll, ppoll, select, pselect6 and epoll on a pipe, each asked
// once with data ready and once without; eventfd as a counter. Timeouts are
// zero or absent, so no call reports a remaining time that varies.
#include "program.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>

int main(void) {
  int p[2];
  REQUIRE(syscall(SYS_pipe2, p, O_CLOEXEC) == 0);

  struct pollfd pfd = {.fd = p[0], .events = POLLIN};
  syscall(SYS_poll, &pfd, 1, 0);  // nothing to read: times out at once
  REQUIRE(syscall(SYS_write, p[1], "x", 1) == 1);
  syscall(SYS_poll, &pfd, 1, -1);
  syscall(SYS_ppoll, &pfd, 1, NULL, NULL, 0);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGUSR1);
  struct timespec zero = {0, 0};
  syscall(SYS_ppoll, &pfd, 1, &zero, &mask, 8);

  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(p[0], &readable);
  struct timeval tv_zero = {0, 0};
  syscall(SYS_select, p[0] + 1, &readable, NULL, NULL, &tv_zero);
  FD_ZERO(&readable);
  FD_SET(p[0], &readable);
  syscall(SYS_pselect6, p[0] + 1, &readable, NULL, NULL, NULL, NULL);

  int ep = (int)syscall(SYS_epoll_create1, EPOLL_CLOEXEC);
  REQUIRE(ep >= 0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 42};
  REQUIRE(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
  syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);  // EEXIST
  struct epoll_event got[4];
  syscall(SYS_epoll_wait, ep, got, 4, 0);
  char c;
  REQUIRE(syscall(SYS_read, p[0], &c, 1) == 1);
  syscall(SYS_epoll_wait, ep, got, 4, 0);  // drained: none ready
  syscall(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, p[0], NULL);

  int efd = (int)syscall(SYS_eventfd2, 0, EFD_CLOEXEC | EFD_NONBLOCK);
  REQUIRE(efd >= 0);
  unsigned long long n = 5;
  REQUIRE(syscall(SYS_write, efd, &n, sizeof(n)) == 8);
  REQUIRE(syscall(SYS_read, efd, &n, sizeof(n)) == 8);
  syscall(SYS_read, efd, &n, sizeof(n));  // EAGAIN: the counter is zero

  syscall(SYS_close, efd);
  syscall(SYS_close, ep);
  syscall(SYS_close, p[0]);
  syscall(SYS_close, p[1]);
  return 0;
}
