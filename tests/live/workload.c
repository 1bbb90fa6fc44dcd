/* The program the live tests trace. Each mode makes syscalls with
 * distinctive integer arguments and return values, so a test can find every
 * call in a decoded capture without decoding strings. Raw syscall() is used
 * wherever libc might pick a different syscall or cache the answer.
 *
 * The numbers and the missing path below are the contract with the tests;
 * they are passed in by CMake (ETRACE_WL_*) so the two cannot drift apart.
 *
 *   workload run           the scripted sequence below; exits with ETRACE_WL_EXIT
 *   workload loop [NAME]   sets its comm to NAME (when given), starts a second
 *                          thread, writes "ready PID\n" to stdout, and then both
 *                          threads call getpid/lseek every few ms until killed
 *   workload crowd N       loop, with N threads in all
 *   workload crowds N T    N times in turn: forks a child that starts T threads in
 *                          all and makes syscalls in each, SIGKILLs it, reaps it;
 *                          then exits 0 (threads that die together, N times)
 *   workload ticks N       writes "ready PID\n", then N rounds, ~100 ms apart, of
 *                          ETRACE_WL_GETPIDS getpid calls: a capture that spans
 *                          several event frames
 *   workload storm N       N getpid calls as fast as it can: a ring buffer overflows
 *   workload fifo DIR N    N rounds: opens DIR/fifoI for reading, the path in a page
 *                          of a file mapping never touched before (the capture cannot
 *                          read it at the call's entry, only at its exit), while a
 *                          second thread waits 20 ms, then opens the FIFO for
 *                          writing: the open is interrupted by that thread's calls
 *
 * The scripted sequence of `run`, in order (parent P, child C):
 *   P openat(AT_FDCWD, "/etc/hostname", O_RDONLY, 0)   = fd
 *   P lseek(fd, ETRACE_WL_PARENT_OFFSET, SEEK_SET)     = ETRACE_WL_PARENT_OFFSET
 *   P openat(AT_FDCWD, ETRACE_WL_MISSING_PATH, O_RDONLY, ETRACE_WL_MISSING_MODE) = -ENOENT
 *   P openat(AT_FDCWD, "/dev/null", O_WRONLY, 0)       = nullfd
 *   P write(nullfd, buf, ETRACE_WL_WRITE_BYTES)        = ETRACE_WL_WRITE_BYTES
 *   P close(nullfd)                                    = 0
 *   P getpid() x ETRACE_WL_GETPIDS                     = P
 *   P fork (clone)                                     = C
 *   C lseek(fd, ETRACE_WL_CHILD_OFFSET, SEEK_SET)      = ETRACE_WL_CHILD_OFFSET
 *   C getppid()                                        = P
 *   C exit_group(ETRACE_WL_CHILD_EXIT)
 *   P wait4(C, &status, 0, NULL)                       = C
 *   P close(fd)                                        = 0
 *   P exit_group(ETRACE_WL_EXIT)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef ETRACE_WL_GETPIDS
#error "ETRACE_WL_* come from tests/live/CMakeLists.txt"
#endif

static void die(const char *what) {
  fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
  exit(99);
}

static long must(long ret, const char *what) {
  if (ret < 0) die(what);
  return ret;
}

static int run(void) {
  static char buf[ETRACE_WL_WRITE_BYTES];
  memset(buf, 'e', sizeof(buf));

  long fd = must(syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY, 0), "open /etc/hostname");
  if (syscall(SYS_lseek, fd, ETRACE_WL_PARENT_OFFSET, SEEK_SET) != ETRACE_WL_PARENT_OFFSET) die("lseek");
  if (syscall(SYS_openat, AT_FDCWD, ETRACE_WL_MISSING_PATH, O_RDONLY, ETRACE_WL_MISSING_MODE) != -1 || errno != ENOENT)
    die("open of a missing path did not fail with ENOENT");
  long nullfd = must(syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY, 0), "open /dev/null");
  if (syscall(SYS_write, nullfd, buf, sizeof(buf)) != ETRACE_WL_WRITE_BYTES) die("write");
  must(syscall(SYS_close, nullfd), "close /dev/null");

  const long self = syscall(SYS_getpid);
  for (int i = 1; i < ETRACE_WL_GETPIDS; ++i)
    if (syscall(SYS_getpid) != self) die("getpid changed");

  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    if (syscall(SYS_lseek, fd, ETRACE_WL_CHILD_OFFSET, SEEK_SET) != ETRACE_WL_CHILD_OFFSET) _exit(98);
    if (syscall(SYS_getppid) != self) _exit(97);
    syscall(SYS_exit_group, ETRACE_WL_CHILD_EXIT);
    _exit(96); /* not reached */
  }
  int status = 0;
  if (syscall(SYS_wait4, child, &status, 0, NULL) != child) die("wait4");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != ETRACE_WL_CHILD_EXIT) {
    fprintf(stderr, "workload: child ended with status 0x%x\n", status);
    return 95;
  }
  must(syscall(SYS_close, fd), "close");
  syscall(SYS_exit_group, ETRACE_WL_EXIT);
  return 94; /* not reached */
}

static void pause_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void *loop_thread(void *fdp) {
  long fd = *(long *)fdp;
  for (;;) {
    syscall(SYS_lseek, fd, ETRACE_WL_LOOP_THREAD_OFFSET, SEEK_SET);
    pause_ms(5);
  }
  return NULL;
}

static int loop(const char *name, int threads) {
  if (name && prctl(PR_SET_NAME, name, 0, 0, 0) != 0) die("prctl(PR_SET_NAME)");
  static long fd;
  fd = must(syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY, 0), "open /etc/hostname");
  for (int i = 1; i < threads; ++i) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, loop_thread, &fd) != 0) die("pthread_create");
  }
  char ready[32];
  int n = snprintf(ready, sizeof(ready), "ready %ld\n", (long)getpid());
  if (write(STDOUT_FILENO, ready, (size_t)n) != n) die("write ready");
  for (;;) {
    syscall(SYS_getpid);
    syscall(SYS_lseek, fd, ETRACE_WL_LOOP_OFFSET, SEEK_SET);
    pause_ms(5);
  }
  return 0; /* not reached */
}

static int crowds(int times, int threads) {
  for (int i = 0; i < times; ++i) {
    int ready[2];
    if (pipe(ready) != 0) die("pipe");
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
      static long fd;
      fd = must(syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY, 0), "open /etc/hostname");
      for (int t = 1; t < threads; ++t) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, loop_thread, &fd) != 0) die("pthread_create");
      }
      if (write(ready[1], "r", 1) != 1) die("write ready");
      for (;;) {
        syscall(SYS_getpid);
        pause_ms(1);
      }
    }
    char byte;
    if (read(ready[0], &byte, 1) != 1) die("read ready");
    pause_ms(20); /* every thread is in its loop by now */
    if (kill(child, SIGKILL) != 0) die("kill");
    int status = 0;
    if (waitpid(child, &status, 0) != child) die("waitpid");
    close(ready[0]);
    close(ready[1]);
  }
  return 0;
}

static int ticks(int rounds) {
  char ready[32];
  int n = snprintf(ready, sizeof(ready), "ready %ld\n", (long)getpid());
  if (write(STDOUT_FILENO, ready, (size_t)n) != n) die("write ready");
  for (int r = 0; r < rounds; ++r) {
    for (int i = 0; i < ETRACE_WL_GETPIDS; ++i) syscall(SYS_getpid);
    pause_ms(100);
  }
  return 0;
}

/* As fast as it goes: more records than a small ring buffer can hold. */
static int storm(long calls) {
  for (long i = 0; i < calls; ++i) syscall(SYS_getpid);
  return 0;
}

static void *fifo_writer(void *path) {
  pause_ms(20);
  long fd = must(syscall(SYS_openat, AT_FDCWD, (const char *)path, O_WRONLY, 0), "open the FIFO to write");
  close((int)fd);
  return NULL;
}

static int fifo(const char *dir, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    char path[4096], holder[4096];
    snprintf(path, sizeof(path), "%s/fifo%d", dir, i);
    snprintf(holder, sizeof(holder), "%s/path%d", dir, i);
    if (mkfifo(path, 0600) != 0) die("mkfifo");
    int h = open(holder, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (h < 0) die("open the path's file");
    const size_t size = strlen(path) + 1;
    if (write(h, path, size) != (ssize_t)size) die("write the path's file");
    /* Mapped, never read: its page is not present until openat faults it in. */
    const char *mapped = mmap(NULL, size, PROT_READ, MAP_PRIVATE, h, 0);
    if (mapped == MAP_FAILED) die("mmap");
    close(h);
    pthread_t writer;
    if (pthread_create(&writer, NULL, fifo_writer, path) != 0) die("pthread_create");
    long fd = must(syscall(SYS_openat, AT_FDCWD, mapped, O_RDONLY, 0), "open the FIFO to read");
    close((int)fd);
    pthread_join(writer, NULL);
    munmap((void *)mapped, size);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "run") == 0) return run();
  if (argc >= 2 && strcmp(argv[1], "loop") == 0) return loop(argc >= 3 ? argv[2] : NULL, 2);
  if (argc >= 3 && strcmp(argv[1], "crowd") == 0) return loop(NULL, atoi(argv[2]));
  if (argc >= 4 && strcmp(argv[1], "crowds") == 0) return crowds(atoi(argv[2]), atoi(argv[3]));
  if (argc >= 3 && strcmp(argv[1], "ticks") == 0) return ticks(atoi(argv[2]));
  if (argc >= 3 && strcmp(argv[1], "storm") == 0) return storm(atol(argv[2]));
  if (argc >= 4 && strcmp(argv[1], "fifo") == 0) return fifo(argv[2], atoi(argv[3]));
  fprintf(stderr,
          "usage: %s run | loop [NAME] | crowd THREADS | crowds TIMES THREADS | ticks N | storm CALLS | fifo DIR N\n",
          argv[0]);
  return 2;
}
