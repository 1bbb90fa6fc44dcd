// Files and directories, in the scratch directory argv[1]. Raw syscalls
// where glibc would route a call elsewhere (open, creat, stat, lstat and
// fstat all become openat/newfstatat in glibc 2.33+).
#include "program.h"

#include <fcntl.h>
#include <linux/stat.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int main(int argc, char** argv) {
  REQUIRE(argc == 2);
  REQUIRE(syscall(SYS_chdir, argv[1]) == 0);
  char cwd[4096];
  REQUIRE(syscall(SYS_getcwd, cwd, sizeof(cwd)) > 0);

  int fd = (int)syscall(SYS_open, "data.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(syscall(SYS_write, fd, "hello, conformance\n", 19) == 19);
  REQUIRE(syscall(SYS_pwrite64, fd, "HELLO", 5, 0) == 5);
  REQUIRE(syscall(SYS_lseek, fd, 0, SEEK_END) == 19);
  syscall(SYS_close, fd);

  int made = (int)syscall(SYS_creat, "made.txt", 0600);
  REQUIRE(made >= 0);
  syscall(SYS_close, made);

  fd = (int)syscall(SYS_openat, AT_FDCWD, "data.txt", O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  char buf[64];
  REQUIRE(syscall(SYS_read, fd, buf, 8) == 8);
  REQUIRE(syscall(SYS_pread64, fd, buf, 6, 7) == 6);
  syscall(SYS_lseek, fd, 2, SEEK_SET);

  struct stat st;
  syscall(SYS_stat, "data.txt", &st);
  syscall(SYS_fstat, fd, &st);
  syscall(SYS_lstat, "data.txt", &st);
  syscall(SYS_newfstatat, AT_FDCWD, "data.txt", &st, AT_SYMLINK_NOFOLLOW);
  syscall(SYS_stat, "missing.txt", &st);
  struct statx stx;
  syscall(SYS_statx, AT_FDCWD, "data.txt", 0, STATX_BASIC_STATS, &stx);
  syscall(SYS_close, fd);

  syscall(SYS_access, "data.txt", R_OK | W_OK);
  syscall(SYS_access, "missing.txt", F_OK);
  REQUIRE(syscall(SYS_mkdir, "sub", 0755) == 0);
  syscall(SYS_mkdir, "sub", 0755);  // EEXIST
  REQUIRE(syscall(SYS_rename, "made.txt", "sub/moved.txt") == 0);
  syscall(SYS_chmod, "data.txt", 0640);
  syscall(SYS_chown, "data.txt", 0, 0);
  syscall(SYS_truncate, "data.txt", 4);
  syscall(SYS_symlink, "data.txt", "link.txt");
  char target[64];
  syscall(SYS_readlink, "link.txt", target, sizeof(target));
  syscall(SYS_link, "data.txt", "hard.txt");

  // Fixed times, so both runs set and show the same values.
  struct timespec times[2] = {{1000000000, 0}, {1000000000, 500}};
  syscall(SYS_utimensat, AT_FDCWD, "data.txt", times, 0);

  int dir = (int)syscall(SYS_openat, AT_FDCWD, "sub", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(dir >= 0);
  char dents[1024];
  syscall(SYS_getdents64, dir, dents, sizeof(dents));
  syscall(SYS_getdents64, dir, dents, sizeof(dents));
  syscall(SYS_close, dir);

  syscall(SYS_unlink, "sub/moved.txt");
  syscall(SYS_rmdir, "sub");
  syscall(SYS_rmdir, "data.txt");  // ENOTDIR
  syscall(SYS_unlink, "link.txt");
  syscall(SYS_unlink, "hard.txt");
  syscall(SYS_unlink, "data.txt");
  syscall(SYS_chdir, "/");
  return 0;
}
