// Time: clocks read through raw syscalls (glibc answers clock_gettime,
// gettimeofday and time from the vDSO without entering the kernel), sleeps,
// and a one-shot timerfd waited out.
#include "program.h"

#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>

int main(void) {
  struct timespec ts;
  syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
  syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts);
  syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
  syscall(SYS_clock_gettime, 12345, &ts);  // EINVAL: no such clock
  struct timeval tv;
  syscall(SYS_gettimeofday, &tv, NULL);
  syscall(SYS_time, NULL);

  struct timespec short_nap = {0, 1000000};
  syscall(SYS_nanosleep, &short_nap, NULL);
  syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &short_nap, NULL);
  struct timespec bad = {0, 2000000000};
  syscall(SYS_nanosleep, &bad, NULL);  // EINVAL: tv_nsec out of range

  int tfd = (int)syscall(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC);
  REQUIRE(tfd >= 0);
  struct itimerspec one_shot = {{0, 0}, {0, 2000000}};
  REQUIRE(syscall(SYS_timerfd_settime, tfd, 0, &one_shot, NULL) == 0);
  unsigned long long expirations = 0;
  REQUIRE(syscall(SYS_read, tfd, &expirations, sizeof(expirations)) == 8);
  struct itimerspec left;
  syscall(SYS_timerfd_gettime, tfd, &left);  // expired: all zero
  syscall(SYS_close, tfd);
  return 0;
}
