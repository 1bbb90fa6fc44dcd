/* openat + close of a real file, N times: 2N syscalls with a path lookup, as
 * a build or a package manager makes by the million.
 *
 *   open_close N FILE REPORT    opens and closes FILE N times; writes the report (report.h)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "report.h"

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: open_close N FILE REPORT\n");
    return 2;
  }
  uint64_t n = bench_count(argv[1], "open_close N FILE REPORT");
  const char *file = argv[2];
  uint64_t start = bench_now_ns();
  for (uint64_t i = 0; i < n; i++) {
    int fd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) bench_die(file);
    if (close(fd) != 0) bench_die("close");
  }
  uint64_t end = bench_now_ns();
  bench_report(argv[3], "openat+close", 2 * n, end - start);
  return 0;
}
