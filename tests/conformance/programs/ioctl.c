// ioctl on a pseudo-terminal (its settings read and written back, its
// window size, its foreground group asked of a terminal that is not the
// controlling one, flushes and flow control), on a socket (an interface
// looked up by name and by index, its flags, MTU, addresses and queue
// length, the list of interfaces), and on a file (bytes readable, inode
// flags, close-on-exec, a block device's size asked of a file). It runs in
// the suite's network namespace, where the interfaces are known.
#include "program.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>

static void terminal(void) {
  int zero = 0, value = 0;
  int master = (int)syscall(SYS_openat, AT_FDCWD, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(master >= 0);
  REQUIRE(syscall(SYS_ioctl, master, TIOCSPTLCK, &zero) == 0);
  // The other end without its path: pty numbers depend on what else runs.
  int pty = (int)syscall(SYS_ioctl, master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(pty >= 0);
  struct termios t;
  REQUIRE(syscall(SYS_ioctl, pty, TCGETS, &t) == 0);
  t.c_lflag &= ~(ECHO | ICANON);
  syscall(SYS_ioctl, pty, TCSETS, &t);
  syscall(SYS_ioctl, pty, TCSETSW, &t);
  syscall(SYS_ioctl, pty, TCSETSF, &t);
  syscall(SYS_ioctl, pty, TCGETS, &t);
  struct winsize size = {.ws_row = 24, .ws_col = 80};
  syscall(SYS_ioctl, pty, TIOCSWINSZ, &size);
  syscall(SYS_ioctl, pty, TIOCGWINSZ, &size);
  syscall(SYS_ioctl, pty, TIOCGPGRP, &value);  // ENOTTY: not our controlling terminal
  syscall(SYS_ioctl, pty, TIOCGSID, &value);   // ENOTTY
  syscall(SYS_ioctl, pty, FIONREAD, &value);
  syscall(SYS_ioctl, pty, TIOCOUTQ, &value);
  syscall(SYS_ioctl, pty, TIOCGETD, &value);
  syscall(SYS_ioctl, pty, TCFLSH, TCIFLUSH);
  syscall(SYS_ioctl, pty, TCXONC, TCOON);
  syscall(SYS_ioctl, pty, TCSBRK, 1);
  syscall(SYS_ioctl, pty, TIOCEXCL);
  syscall(SYS_ioctl, pty, TIOCNXCL);
  syscall(SYS_ioctl, pty, TIOCNOTTY);  // ENOTTY
  value = 1;
  syscall(SYS_ioctl, pty, FIONBIO, &value);
  syscall(SYS_close, pty);
  syscall(SYS_close, master);
}

static void interface(int fd, unsigned long request, const char *name) {
  struct ifreq r;
  memset(&r, 0, sizeof(r));
  strcpy(r.ifr_name, name);
  syscall(SYS_ioctl, fd, request, &r);
}

static void sockets(void) {
  int fd = (int)syscall(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  interface(fd, SIOCGIFINDEX, "lo");
  struct ifreq by_index;
  memset(&by_index, 0, sizeof(by_index));
  by_index.ifr_ifindex = 1;
  syscall(SYS_ioctl, fd, SIOCGIFNAME, &by_index);
  interface(fd, SIOCGIFFLAGS, "lo");
  interface(fd, SIOCGIFMTU, "lo");
  interface(fd, SIOCGIFADDR, "lo");
  interface(fd, SIOCGIFNETMASK, "lo");
  interface(fd, SIOCGIFHWADDR, "lo");
  interface(fd, SIOCGIFTXQLEN, "lo");
  interface(fd, SIOCGIFINDEX, "nosuch0");  // ENODEV
  struct ifreq list[8];
  struct ifconf conf = {.ifc_len = sizeof(list), .ifc_buf = (char *)list};
  syscall(SYS_ioctl, fd, SIOCGIFCONF, &conf);
  conf.ifc_buf = NULL;
  conf.ifc_len = 0;
  syscall(SYS_ioctl, fd, SIOCGIFCONF, &conf);  // how much room the list needs
  int value = 0;
  syscall(SYS_ioctl, fd, FIONREAD, &value);
  syscall(SYS_close, fd);
}

static void files(const char *dir) {
  char path[4096];
  snprintf(path, sizeof(path), "%s/data", dir);
  int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(syscall(SYS_write, fd, "twelve bytes", 12) == 12);
  REQUIRE(syscall(SYS_lseek, fd, 0, SEEK_SET) == 0);
  int value = 0;
  syscall(SYS_ioctl, fd, FIONREAD, &value);
  long flags = 0;
  syscall(SYS_ioctl, fd, FS_IOC_GETFLAGS, &flags);
  syscall(SYS_ioctl, fd, FIOCLEX);
  syscall(SYS_ioctl, fd, FIONCLEX);
  unsigned long long size = 0;
  syscall(SYS_ioctl, fd, BLKGETSIZE64, &size);  // ENOTTY: not a block device
  syscall(SYS_ioctl, fd, _IOR('X', 1, int), &value);  // ENOTTY: no such request
  syscall(SYS_close, fd);
}

int main(int argc, char **argv) {
  REQUIRE(argc == 2);
  terminal();
  sockets();
  files(argv[1]);
  return 0;
}
