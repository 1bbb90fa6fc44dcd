// Descriptors and pipes: duplication, fcntl, vectored I/O and ioctls on a
// pipe (FIONREAD answers, TCGETS fails: a pipe is not a terminal).
#include "program.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <termios.h>

int main(void) {
  int p[2];
  REQUIRE(syscall(SYS_pipe, p) == 0);
  int q[2];
  REQUIRE(syscall(SYS_pipe2, q, O_CLOEXEC | O_NONBLOCK) == 0);

  int d = (int)syscall(SYS_dup, p[1]);
  REQUIRE(d >= 0);
  REQUIRE(syscall(SYS_dup2, p[0], 20) == 20);
  REQUIRE(syscall(SYS_dup3, p[1], 21, O_CLOEXEC) == 21);
  syscall(SYS_dup3, 21, 21, 0);  // EINVAL: dup3 refuses equal descriptors

  syscall(SYS_fcntl, d, F_GETFD);
  syscall(SYS_fcntl, d, F_SETFD, FD_CLOEXEC);
  int fl = (int)syscall(SYS_fcntl, p[0], F_GETFL);
  syscall(SYS_fcntl, p[0], F_SETFL, fl | O_NONBLOCK);
  syscall(SYS_fcntl, p[1], F_DUPFD_CLOEXEC, 30);
  syscall(SYS_fcntl, p[0], F_GETPIPE_SZ);

  char a[] = "vectored ", b[] = "write\n";
  struct iovec out[2] = {{a, sizeof(a) - 1}, {b, sizeof(b) - 1}};
  REQUIRE(syscall(SYS_writev, p[1], out, 2) == 15);
  int pending = 0;
  syscall(SYS_ioctl, p[0], FIONREAD, &pending);
  struct termios t;
  syscall(SYS_ioctl, p[0], TCGETS, &t);

  char x[4], y[32];
  struct iovec in[2] = {{x, sizeof(x)}, {y, sizeof(y)}};
  REQUIRE(syscall(SYS_readv, p[0], in, 2) == 15);
  syscall(SYS_read, p[0], y, sizeof(y));  // EAGAIN: empty and non-blocking
  REQUIRE(syscall(SYS_write, q[1], "q", 1) == 1);
  REQUIRE(syscall(SYS_read, q[0], y, sizeof(y)) == 1);

  syscall(SYS_close, 20);
  syscall(SYS_close, 21);
  syscall(SYS_close, d);
  syscall(SYS_close, 30);
  syscall(SYS_close, 30);  // EBADF
  syscall(SYS_close, p[0]);
  syscall(SYS_close, p[1]);
  syscall(SYS_close, q[0]);
  syscall(SYS_close, q[1]);
  return 0;
}
