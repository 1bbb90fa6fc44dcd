/* Shared by the bench workloads: a monotonic clock and the one-line report
 * each workload writes when it is done.
 *
 * The report goes to a file named on the command line, not to stdout, because
 * some tracers (trace-cmd record) print their own progress on stdout. It is one
 * line of key=value pairs that scripts/bench.sh reads:
 *
 *   kind=getppid calls=2000000 loop_ns=170000000 ns_per_call=85.0 cpu_us=171000
 *
 * calls is the number of syscalls the timed loop made; ns_per_call is the
 * loop's wall time divided by calls; cpu_us is the workload's own user+system
 * CPU time (getrusage RUSAGE_SELF), so the harness can tell the tracer's CPU
 * apart from the workload's when the tracer's rusage includes its child.
 */
#ifndef ETRACE_BENCH_REPORT_H
#define ETRACE_BENCH_REPORT_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static inline uint64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void bench_die(const char *what) {
  fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
  exit(99);
}

/* Parses a positive call count; exits with a usage message otherwise. */
static inline uint64_t bench_count(const char *arg, const char *usage) {
  char *end = NULL;
  errno = 0;
  unsigned long long n = strtoull(arg, &end, 10);
  if (errno != 0 || end == arg || *end != '\0' || n == 0) {
    fprintf(stderr, "usage: %s\n", usage);
    exit(2);
  }
  return (uint64_t)n;
}

static inline uint64_t bench_cpu_us(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) bench_die("getrusage");
  return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
         (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static inline void bench_report(const char *path, const char *kind, uint64_t calls,
                                uint64_t loop_ns) {
  FILE *f = fopen(path, "w");
  if (f == NULL) bench_die(path);
  fprintf(f, "kind=%s calls=%llu loop_ns=%llu ns_per_call=%.1f cpu_us=%llu\n", kind,
          (unsigned long long)calls, (unsigned long long)loop_ns,
          (double)loop_ns / (double)calls, (unsigned long long)bench_cpu_us());
  if (fclose(f) != 0) bench_die(path);
}

#endif
