/* getppid storm: N raw getppid syscalls in a tight loop, the cheapest syscall
 * there is, so a tracer's added cost per call is as visible as it gets.
 * syscall() is used because libc could cache the answer.
 *
 *   getppid_storm N REPORT    makes N getppid calls; writes the report (report.h)
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>

#include "report.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: getppid_storm N REPORT\n");
    return 2;
  }
  uint64_t n = bench_count(argv[1], "getppid_storm N REPORT");
  uint64_t start = bench_now_ns();
  for (uint64_t i = 0; i < n; i++) {
    syscall(SYS_getppid);
  }
  uint64_t end = bench_now_ns();
  bench_report(argv[2], "getppid", n, end - start);
  return 0;
}
