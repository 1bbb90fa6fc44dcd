/* write + read of 64 bytes through a pipe, N times: 2N syscalls that move a
 * little data, as a logging or IPC loop does. The pipe never holds more than
 * 64 bytes, so neither call blocks.
 *
 *   pipe_rw N REPORT    makes N write and N read calls; writes the report (report.h)
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "report.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: pipe_rw N REPORT\n");
    return 2;
  }
  uint64_t n = bench_count(argv[1], "pipe_rw N REPORT");
  int fds[2];
  if (pipe(fds) != 0) bench_die("pipe");
  char out[64], in[64];
  memset(out, 'e', sizeof out);
  uint64_t start = bench_now_ns();
  for (uint64_t i = 0; i < n; i++) {
    if (write(fds[1], out, sizeof out) != (ssize_t)sizeof out) bench_die("write");
    if (read(fds[0], in, sizeof in) != (ssize_t)sizeof in) bench_die("read");
  }
  uint64_t end = bench_now_ns();
  close(fds[0]);
  close(fds[1]);
  bench_report(argv[2], "write+read", 2 * n, end - start);
  return 0;
}
