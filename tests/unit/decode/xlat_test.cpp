// Expected spellings come from strace 6.1 on this project's Debian 12 VM:
//   strace -f -o out ./prog
// where prog is a small C program making the call written in the comment
// beside each case. The numbers passed here are the ones those calls
// passed, written with the C library's constants where it has them, so the
// generated tables are also checked against the headers a second way.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/futex.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sched.h>
#include <signal.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>

#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/sockaddr.h"
#include "decode/values/xlat/xlat.h"

using namespace etrace::decode;
using namespace etrace::decode::xlat;

namespace {

// The kernel's value of O_LARGEFILE (asm-generic/fcntl.h): glibc defines it
// as 0 on x86-64.
constexpr uint64_t kKernelOLargefile = 0100000;
// x86's SA_RESTORER (asm/signal.h): glibc sets it itself and does not export it.
constexpr uint64_t kSaRestorer = 0x04000000;

std::string text_of(const Value& v);

std::string field_text(const NamedValue& f) {
  return f.bare ? text_of(f.value) : f.name + "=" + text_of(f.value);
}

// Enough of strace's notation to compare whole sockaddrs: symbols as their
// text, numbers in decimal, bytes quoted only when plain ASCII (the tests
// with other bytes look at the bytes themselves).
std::string text_of(const Value& v) {
  if (auto s = std::get_if<Symbolic>(&v)) return s->text;
  if (auto u = std::get_if<UnsignedInt>(&v)) return std::to_string(u->value);
  if (auto i = std::get_if<SignedInt>(&v)) return std::to_string(i->value);
  if (auto b = std::get_if<Bytes>(&v))
    return (b->style == Bytes::Style::kAbstractName ? "@\"" : "\"") + b->data + "\"";
  if (auto a = std::get_if<Aggregate>(&v)) {
    std::string out = "{";
    for (const auto& f : a->fields) out += (out.size() > 1 ? ", " : "") + field_text(f);
    return out + "}";
  }
  return "?";
}

template <typename T>
std::string_view bytes_of(const T& object, size_t length = sizeof(T)) {
  return {reinterpret_cast<const char*>(&object), length};
}

}  // namespace

TEST(Xlat, EverySetTheSemanticsTableMayNameExists) {
  for (const char* set : {"open", "at", "prot", "map", "msync", "mlock", "clone", "msg", "wait", "sock", "access",
                          "poll", "epoll_events", "epoll_create", "eventfd", "timerfd", "signalfd", "inotify_init",
                          "inotify_mask", "mount", "umount", "rename", "statx_mask", "memfd", "mremap", "getrandom",
                          "sa", "xattr", "fallocate", "splice", "close_range", "timer", "unshare", "whence",
                          "madvise", "fcntl", "futex_op", "prctl", "arch_prctl", "rlimit", "clock", "sighow", "af",
                          "socktype", "ipproto", "sol", "sockopt", "epoll_op", "ioctl", "shutdown", "priority",
                          "itimer", "idtype", "sched_policy", "fadvise", "rusage_who", "seccomp_op"})
    EXPECT_TRUE(has_set(set)) << set;
  EXPECT_FALSE(has_set("no_such_set"));
  EXPECT_FALSE(has_set(""));
}

TEST(Xlat, EveryTablePrintedSetHasAGeneratedTable) {
  for (const auto& entry : all_constant_sets()) {
    if (entry.print == ConstantSetEntry::Print::kTableOnly) continue;
    EXPECT_FALSE(constants(entry.name).empty()) << entry.name;
    EXPECT_TRUE(has_set(entry.name)) << entry.name;
  }
  for (const char* table : {"open_access", "map_type", "futex_cmd", "signal", "realtime_signals", "file_type",
                            "file_mode_bits", "sockopt_ip", "sockopt_ipv6", "sockopt_tcp", "sockopt_udp",
                            "sockopt_netlink", "sockopt_packet", "ethernet_protocol"})
    EXPECT_FALSE(constants(table).empty()) << table;
}

TEST(Xlat, OpenFlags) {
  // openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC)
  EXPECT_EQ(flags_text("open", O_RDONLY | O_CLOEXEC), "O_RDONLY|O_CLOEXEC");
  // openat(AT_FDCWD, "/tmp/xl/f", O_WRONLY|O_CREAT|O_TRUNC, 0644)
  EXPECT_EQ(flags_text("open", O_WRONLY | O_CREAT | O_TRUNC), "O_WRONLY|O_CREAT|O_TRUNC");
  // openat(..., O_RDWR|O_APPEND|O_NONBLOCK|O_NOFOLLOW|O_DIRECTORY|0x10000000): unknown bits in hex, last
  EXPECT_EQ(flags_text("open", O_RDWR | O_APPEND | O_NONBLOCK | O_DIRECTORY | O_NOFOLLOW | 0x10000000),
            "O_RDWR|O_APPEND|O_NONBLOCK|O_NOFOLLOW|O_DIRECTORY|0x10000000");
  // open("/tmp/xl/f", 3) is shown as O_ACCMODE
  EXPECT_EQ(flags_text("open", 3), "O_ACCMODE");
  // open(..., O_RDONLY|O_PATH), open(..., O_RDONLY|O_TMPFILE, 0600): O_TMPFILE includes O_DIRECTORY
  EXPECT_EQ(flags_text("open", O_PATH), "O_RDONLY|O_PATH");
  EXPECT_EQ(flags_text("open", O_TMPFILE), "O_RDONLY|O_TMPFILE");
  // open(..., O_SYNC|O_DSYNC|O_ASYNC|O_NOATIME|O_DIRECT|O_EXCL|O_NOCTTY|O_CREAT, 01777)
  EXPECT_EQ(flags_text("open", O_SYNC | O_DSYNC | O_ASYNC | O_NOATIME | O_DIRECT | O_EXCL | O_NOCTTY | O_CREAT),
            "O_RDONLY|O_CREAT|O_EXCL|O_NOCTTY|O_SYNC|O_DIRECT|O_NOATIME|FASYNC");
  // fcntl(3, F_GETFL) = 0x8000 (flags O_RDONLY|O_LARGEFILE): the kernel's O_LARGEFILE
  EXPECT_EQ(flags_text("open", kKernelOLargefile), "O_RDONLY|O_LARGEFILE");
  EXPECT_EQ(flags_text("open", 0), "O_RDONLY");
}

TEST(Xlat, AccessAndAtFlags) {
  // access("/x", R_OK), access("/x", R_OK|W_OK|X_OK), access("/x", F_OK), access("/x", 0x10)
  EXPECT_EQ(flags_text("access", R_OK), "R_OK");
  EXPECT_EQ(flags_text("access", R_OK | W_OK | X_OK), "R_OK|W_OK|X_OK");
  EXPECT_EQ(flags_text("access", F_OK), "F_OK");
  EXPECT_EQ(flags_text("access", 0x10), "0x10 /* ?_OK */");
  // newfstatat(AT_FDCWD, "/", NULL, 0); with AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|AT_NO_AUTOMOUNT|0x8000|0x2000
  EXPECT_EQ(flags_text("at", 0), "0");
  EXPECT_EQ(flags_text("at", AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | 0x8000),
            "AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE");
}

TEST(Xlat, FileEnums) {
  // lseek(3, 0, SEEK_CUR); lseek(3, 0, 7)
  EXPECT_EQ(enum_text("whence", SEEK_CUR), "SEEK_CUR");
  EXPECT_EQ(enum_text("whence", 7), "0x7 /* SEEK_??? */");
  // fcntl(3, F_GETFL); fcntl(3, 0x400) is F_SETLEASE; fcntl(fd, 1234)
  EXPECT_EQ(enum_text("fcntl", F_GETFL), "F_GETFL");
  EXPECT_EQ(enum_text("fcntl", 0x400), "F_SETLEASE");
  EXPECT_EQ(enum_text("fcntl", 1234), "0x4d2 /* F_??? */");
}

TEST(Xlat, FileSystems) {
  // df -h and du -s: statfs("/dev", ...) on a tmpfs, fstatfs on ext4, a
  // read-only bind mount, then a magic strace has no name for.
  EXPECT_EQ(enum_text("fsmagic", 0x01021994), "TMPFS_MAGIC");
  EXPECT_EQ(enum_text("fsmagic", 0xef53), "EXT2_SUPER_MAGIC");
  EXPECT_EQ(enum_text("fsmagic", 0x63677270), "CGROUP2_SUPER_MAGIC");
  EXPECT_EQ(enum_text("fsmagic", 0x7a7a7a7a), "0x7a7a7a7a");
  EXPECT_EQ(flags_text("statfs_flags", ST_RELATIME | 0x20), "ST_VALID|ST_RELATIME");
  EXPECT_EQ(flags_text("statfs_flags", ST_RDONLY | ST_NOSUID | ST_NODEV | ST_RELATIME | 0x20),
            "ST_VALID|ST_RDONLY|ST_NOSUID|ST_NODEV|ST_RELATIME");
}

TEST(Xlat, Modes) {
  // openat(..., 0644); mkdir("/tmp/xl/d", 0) -> 000; chmod(.., 07777); chmod(.., 0170777); umask(022)
  EXPECT_EQ(mode_text(0644), "0644");
  EXPECT_EQ(mode_text(0), "000");
  EXPECT_EQ(mode_text(07777), "07777");
  EXPECT_EQ(mode_text(0170777), "0170777");
  EXPECT_EQ(mode_text(022), "022");
  // mknod(.., S_IFREG|0644, 0); S_IFIFO|04755; 04755; 0; S_IFDIR|S_ISVTX|S_ISGID; 0xffff
  EXPECT_EQ(file_mode_text(S_IFREG | 0644), "S_IFREG|0644");
  EXPECT_EQ(file_mode_text(S_IFIFO | 04755), "S_IFIFO|S_ISUID|0755");
  EXPECT_EQ(file_mode_text(04755), "S_ISUID|0755");
  EXPECT_EQ(file_mode_text(0), "000");
  EXPECT_EQ(file_mode_text(S_IFDIR | S_ISVTX | S_ISGID), "S_IFDIR|S_ISGID|S_ISVTX|000");
  EXPECT_EQ(file_mode_text(0xffff), "0177777");
  // mknod(.., S_IFCHR|0600, makedev(8, 1)); mknodat(.., S_IFBLK|0600, 0x123456789abc), whose dev the
  // kernel takes as an unsigned int: 0x56789abc
  EXPECT_EQ(dev_text(makedev(8, 1)), "makedev(0x8, 0x1)");
  EXPECT_EQ(dev_text(0x56789abc), "makedev(0x89a, 0x567bc)");
  // A 64-bit dev_t (stat's st_rdev): checked against the C library's encoding.
  EXPECT_EQ(dev_text(makedev(0x12345, 0x6789a)), "makedev(0x12345, 0x6789a)");
  EXPECT_EQ(dev_text(0), "makedev(0, 0)");
}

TEST(Xlat, Memory) {
  // mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
  EXPECT_EQ(flags_text("prot", PROT_READ | PROT_WRITE), "PROT_READ|PROT_WRITE");
  EXPECT_EQ(flags_text("map", MAP_PRIVATE | MAP_ANONYMOUS), "MAP_PRIVATE|MAP_ANONYMOUS");
  // mmap(.., PROT_NONE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|0x40000000, ..)
  EXPECT_EQ(flags_text("prot", PROT_NONE), "PROT_NONE");
  EXPECT_EQ(flags_text("map", MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | 0x40000000),
            "MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|16<<MAP_HUGE_SHIFT");
  // mmap(.., PROT_READ|PROT_EXEC|0x100, MAP_SHARED_VALIDATE|MAP_ANONYMOUS|MAP_STACK|MAP_POPULATE|MAP_NORESERVE|
  //      MAP_GROWSDOWN|MAP_HUGETLB|MAP_LOCKED, ..)
  EXPECT_EQ(flags_text("prot", PROT_READ | PROT_EXEC | 0x100), "PROT_READ|PROT_EXEC|0x100");
  EXPECT_EQ(flags_text("map", MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_STACK | MAP_POPULATE | MAP_NORESERVE |
                                  MAP_GROWSDOWN | MAP_HUGETLB | MAP_LOCKED),
            "MAP_SHARED_VALIDATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_POPULATE|MAP_GROWSDOWN|MAP_LOCKED|MAP_STACK|"
            "MAP_HUGETLB");
  // mmap(.., PROT_READ|PROT_GROWSDOWN|0x8, MAP_PRIVATE|MAP_ANONYMOUS|MAP_DENYWRITE|MAP_EXECUTABLE|MAP_32BIT|
  //      MAP_NONBLOCK|MAP_SYNC|(21<<26), ..)
  EXPECT_EQ(flags_text("prot", PROT_READ | PROT_GROWSDOWN | 0x8), "PROT_READ|PROT_SEM|PROT_GROWSDOWN");
  EXPECT_EQ(flags_text("map", MAP_PRIVATE | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_32BIT |
                                  MAP_NONBLOCK | MAP_SYNC | (21u << 26)),
            "MAP_PRIVATE|MAP_ANONYMOUS|MAP_32BIT|MAP_NONBLOCK|MAP_DENYWRITE|MAP_EXECUTABLE|MAP_SYNC|"
            "21<<MAP_HUGE_SHIFT");
  // mmap(.., 0x100, MAP_PRIVATE|0x80, ..); mmap(.., 0, 0, ..); mmap(.., 0, 0xf|MAP_ANONYMOUS, ..);
  // mmap(.., 0, 2<<26, ..)
  EXPECT_EQ(flags_text("prot", 0x100), "0x100 /* PROT_??? */");
  EXPECT_EQ(flags_text("map", 0), "MAP_FILE");
  EXPECT_EQ(flags_text("map", 0xf | MAP_ANONYMOUS), "0xf /* MAP_??? */|MAP_ANONYMOUS");
  EXPECT_EQ(flags_text("map", 2u << 26), "MAP_FILE|2<<MAP_HUGE_SHIFT");
  // madvise(p, 8192, MADV_DONTNEED); madvise(p, 8192, 77)
  EXPECT_EQ(enum_text("madvise", MADV_DONTNEED), "MADV_DONTNEED");
  EXPECT_EQ(enum_text("madvise", 77), "0x4d /* MADV_??? */");
  // msync(.., MS_ASYNC|MS_INVALIDATE); msync(.., 0x40); msync(.., 0); msync(.., MS_SYNC|0x40)
  EXPECT_EQ(flags_text("msync", MS_ASYNC | MS_INVALIDATE), "MS_ASYNC|MS_INVALIDATE");
  EXPECT_EQ(flags_text("msync", 0x40), "0x40 /* MS_??? */");
  EXPECT_EQ(flags_text("msync", 0), "0");
  EXPECT_EQ(flags_text("msync", MS_SYNC | 0x40), "MS_SYNC|0x40");
  // mlock2(p, 8192, MLOCK_ONFAULT); mremap(.., MREMAP_MAYMOVE|MREMAP_DONTUNMAP)
  EXPECT_EQ(flags_text("mlock", MLOCK_ONFAULT), "MLOCK_ONFAULT");
  EXPECT_EQ(flags_text("mremap", MREMAP_MAYMOVE | MREMAP_DONTUNMAP), "MREMAP_MAYMOVE|MREMAP_DONTUNMAP");
}

TEST(Xlat, Processes) {
  // clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, ...) from fork()
  EXPECT_EQ(flags_text("clone", CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD),
            "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
  // syscall(SYS_clone, CLONE_THREAD|CLONE_NEWNS|CLONE_NEWUTS|0x12, ...); CLONE_THREAD|0x2; CLONE_THREAD
  EXPECT_EQ(flags_text("clone", CLONE_THREAD | CLONE_NEWNS | CLONE_NEWUTS | 0x12),
            "CLONE_THREAD|CLONE_NEWNS|CLONE_NEWUTS|SIGCONT");
  EXPECT_EQ(flags_text("clone", CLONE_THREAD | 0x2), "CLONE_THREAD|SIGINT");
  EXPECT_EQ(flags_text("clone", CLONE_THREAD), "CLONE_THREAD");
  // unshare(CLONE_NEWNS|CLONE_FILES|0x80): 0x80 is CLONE_NEWTIME, listed first; unshare(0)
  EXPECT_EQ(flags_text("unshare", CLONE_NEWNS | CLONE_FILES | 0x80), "CLONE_NEWTIME|CLONE_FILES|CLONE_NEWNS");
  EXPECT_EQ(flags_text("unshare", 0), "0");
  // wait4(-1, .., WNOHANG|WUNTRACED|__WALL, NULL); wait4(-1, .., __WCLONE|WCONTINUED|__WNOTHREAD, NULL)
  EXPECT_EQ(flags_text("wait", WNOHANG | WUNTRACED | __WALL), "WNOHANG|WSTOPPED|__WALL");
  EXPECT_EQ(flags_text("wait", static_cast<uint32_t>(__WCLONE | WCONTINUED | __WNOTHREAD)),
            "WCONTINUED|__WCLONE|__WNOTHREAD");
  EXPECT_EQ(flags_text("wait", 0), "0");
  // futex(.., FUTEX_WAIT_PRIVATE, ..); FUTEX_WAKE; FUTEX_WAIT_BITSET|FUTEX_PRIVATE_FLAG|FUTEX_CLOCK_REALTIME;
  // FUTEX_LOCK_PI2; 99; FUTEX_CLOCK_REALTIME|FUTEX_PRIVATE_FLAG|99
  EXPECT_EQ(enum_text("futex_op", FUTEX_WAIT_PRIVATE), "FUTEX_WAIT_PRIVATE");
  EXPECT_EQ(enum_text("futex_op", FUTEX_WAKE), "FUTEX_WAKE");
  EXPECT_EQ(enum_text("futex_op", FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME),
            "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
  EXPECT_EQ(enum_text("futex_op", FUTEX_LOCK_PI2), "FUTEX_LOCK_PI2");
  EXPECT_EQ(enum_text("futex_op", 99), "0x63 /* FUTEX_??? */");
  EXPECT_EQ(enum_text("futex_op", FUTEX_CLOCK_REALTIME | FUTEX_PRIVATE_FLAG | 99), "0x1e3 /* FUTEX_??? */");
  // prctl(PR_SET_NAME, "xx"); prctl(PR_SET_NO_NEW_PRIVS, ..); prctl(0x64, 0)
  EXPECT_EQ(enum_text("prctl", 15), "PR_SET_NAME");
  EXPECT_EQ(enum_text("prctl", 38), "PR_SET_NO_NEW_PRIVS");
  EXPECT_EQ(enum_text("prctl", 0x64), "0x64 /* PR_??? */");
  // arch_prctl(0x1003, ..) is ARCH_GET_FS; 0x1002 is ARCH_SET_FS; arch_prctl(0x3001, ..)
  EXPECT_EQ(enum_text("arch_prctl", 0x1003), "ARCH_GET_FS");
  EXPECT_EQ(enum_text("arch_prctl", 0x1002), "ARCH_SET_FS");
  EXPECT_EQ(enum_text("arch_prctl", 0x3001), "0x3001 /* ARCH_??? */");
  // prlimit64(0, RLIMIT_NOFILE, ..); RLIMIT_STACK; 99
  EXPECT_EQ(enum_text("rlimit", RLIMIT_NOFILE), "RLIMIT_NOFILE");
  EXPECT_EQ(enum_text("rlimit", RLIMIT_STACK), "RLIMIT_STACK");
  EXPECT_EQ(enum_text("rlimit", 99), "0x63 /* RLIMIT_??? */");
  // getpriority(PRIO_PROCESS, 0); PRIO_USER; 9
  EXPECT_EQ(enum_text("priority", PRIO_PROCESS), "PRIO_PROCESS");
  EXPECT_EQ(enum_text("priority", PRIO_USER), "PRIO_USER");
  EXPECT_EQ(enum_text("priority", 9), "0x9 /* PRIO_??? */");
  // getrusage(RUSAGE_SELF, ..); RUSAGE_THREAD; RUSAGE_CHILDREN (-1); 5
  EXPECT_EQ(enum_text("rusage_who", RUSAGE_SELF), "RUSAGE_SELF");
  EXPECT_EQ(enum_text("rusage_who", RUSAGE_THREAD), "RUSAGE_THREAD");
  EXPECT_EQ(enum_text("rusage_who", RUSAGE_CHILDREN), "RUSAGE_CHILDREN");
  EXPECT_EQ(enum_text("rusage_who", 5), "0x5 /* RUSAGE_??? */");
}

TEST(Xlat, Signals) {
  // kill(99999999, 32), 33, 34 (glibc's SIGRTMIN), 35, 64, 65, 200, -1; tgkill(.., SIGSYS); kill(0, 0)
  EXPECT_EQ(signal_text(32), "SIGRTMIN");
  EXPECT_EQ(signal_text(33), "SIGRT_1");
  EXPECT_EQ(signal_text(SIGRTMIN), "SIGRT_2");
  EXPECT_EQ(signal_text(35), "SIGRT_3");
  EXPECT_EQ(signal_text(64), "SIGRT_32");
  EXPECT_EQ(signal_text(65), "65");
  EXPECT_EQ(signal_text(200), "200");
  EXPECT_EQ(signal_text(-1), "-1");
  EXPECT_EQ(signal_text(SIGSYS), "SIGSYS");
  EXPECT_EQ(signal_text(SIGINT), "SIGINT");
  EXPECT_EQ(signal_text(SIGCHLD), "SIGCHLD");
  EXPECT_EQ(signal_text(0), "0");

  // rt_sigprocmask(SIG_SETMASK, [], NULL, 8); SIG_BLOCK [INT TERM]; 7
  EXPECT_EQ(enum_text("sighow", SIG_SETMASK), "SIG_SETMASK");
  EXPECT_EQ(enum_text("sighow", SIG_BLOCK), "SIG_BLOCK");
  EXPECT_EQ(enum_text("sighow", 7), "0x7 /* SIG_??? */");
  uint64_t set = 0;
  EXPECT_EQ(sigset_text(bytes_of(set)), "[]");
  set = 1ULL << (SIGINT - 1) | 1ULL << (SIGTERM - 1);
  EXPECT_EQ(sigset_text(bytes_of(set)), "[INT TERM]");
  // sigfillset() then sigdelset(SIGRTMIN), sigdelset(SIGRTMIN+1): glibc never fills 32 and 33
  set = ~0ULL & ~(1ULL << 31) & ~(1ULL << 32) & ~(1ULL << 33) & ~(1ULL << 34);
  EXPECT_EQ(sigset_text(bytes_of(set)), "~[RTMIN RT_1 RT_2 RT_3]");
  // sigfillset() alone
  set = ~0ULL & ~(1ULL << 31) & ~(1ULL << 32);
  EXPECT_EQ(sigset_text(bytes_of(set)), "~[RTMIN RT_1]");
  // SIGKILL, 34 and 64
  set = 1ULL << (SIGKILL - 1) | 1ULL << 33 | 1ULL << 63;
  EXPECT_EQ(sigset_text(bytes_of(set)), "[KILL RT_2 RT_32]");

  // rt_sigaction(SIGINT, {.., sa_flags=SA_RESTORER|SA_RESTART, ..}); sigaction(SIGUSR1) with
  // SA_RESTART|SA_SIGINFO|SA_NODEFER|SA_RESETHAND|SA_ONSTACK|SA_NOCLDSTOP|SA_NOCLDWAIT|0x200 (plus SA_RESTORER)
  EXPECT_EQ(flags_text("sa", kSaRestorer | SA_RESTART), "SA_RESTORER|SA_RESTART");
  EXPECT_EQ(flags_text("sa", kSaRestorer | SA_RESTART | SA_SIGINFO | SA_NODEFER | SA_RESETHAND | SA_ONSTACK |
                                 SA_NOCLDSTOP | SA_NOCLDWAIT | 0xffffffff00000200ULL),
            "SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_NODEFER|SA_RESETHAND|SA_SIGINFO|SA_NOCLDSTOP|SA_NOCLDWAIT|"
            "0xffffffff00000200");
  EXPECT_EQ(flags_text("sa", 0), "0");
}

TEST(Xlat, WaitStatus) {
  // wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) after _exit(0); _exit(3)
  EXPECT_EQ(wait_status_text(0), "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]");
  EXPECT_EQ(wait_status_text(3 << 8), "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]");
  // a child killed by SIGSEGV; a child stopped by SIGSTOP (waitpid with WUNTRACED)
  EXPECT_EQ(wait_status_text(SIGSEGV), "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV}]");
  EXPECT_EQ(wait_status_text(SIGSTOP << 8 | 0x7f), "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]");
  // a tracee's syscall stop with PTRACE_O_TRACESYSGOOD; its group stop after PTRACE_INTERRUPT
  EXPECT_EQ(wait_status_text((SIGTRAP | 0x80) << 8 | 0x7f), "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}]");
  EXPECT_EQ(wait_status_text(PTRACE_EVENT_STOP << 16 | SIGTRAP << 8 | 0x7f),
            "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|PTRACE_EVENT_STOP<<16]");
  // Not produced here (no core dumps on this VM, no WCONTINUED child): the spellings of strace's
  // printstatus, checked against the W* macros of the C library.
  EXPECT_EQ(wait_status_text(SIGSEGV | 0x80), "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}]");
  ASSERT_TRUE(WIFCONTINUED(0xffff));
  EXPECT_EQ(wait_status_text(0xffff), "[{WIFCONTINUED(s)}]");
}

TEST(Xlat, ClocksEventsAndIoctls) {
  // clock_gettime(CLOCK_MONOTONIC, ..); CLOCK_BOOTTIME; CLOCK_REALTIME_ALARM; 99; -10
  EXPECT_EQ(enum_text("clock", CLOCK_MONOTONIC), "CLOCK_MONOTONIC");
  EXPECT_EQ(enum_text("clock", CLOCK_BOOTTIME), "CLOCK_BOOTTIME");
  EXPECT_EQ(enum_text("clock", CLOCK_REALTIME_ALARM), "CLOCK_REALTIME_ALARM");
  EXPECT_EQ(enum_text("clock", 99), "0x63 /* CLOCK_??? */");
  EXPECT_EQ(enum_text("clock", -10), "0xfffffff6 /* CLOCK_??? */");
  // epoll_create1(EPOLL_CLOEXEC); epoll_ctl(13, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, ..}); epoll_ctl(.., 9, ..)
  EXPECT_EQ(flags_text("epoll_create", EPOLL_CLOEXEC), "EPOLL_CLOEXEC");
  EXPECT_EQ(enum_text("epoll_op", EPOLL_CTL_ADD), "EPOLL_CTL_ADD");
  EXPECT_EQ(enum_text("epoll_op", 9), "0x9 /* EPOLL_CTL_??? */");
  EXPECT_EQ(flags_text("epoll_events", EPOLLIN | EPOLLET), "EPOLLIN|EPOLLET");
  // eventfd2(0, EFD_SEMAPHORE|EFD_CLOEXEC|EFD_NONBLOCK); eventfd2(0, 1); eventfd2(0, 0)
  EXPECT_EQ(flags_text("eventfd", 0x1 | 02000000 | 04000), "EFD_SEMAPHORE|EFD_CLOEXEC|EFD_NONBLOCK");
  EXPECT_EQ(flags_text("eventfd", 1), "EFD_SEMAPHORE");
  EXPECT_EQ(flags_text("eventfd", 0), "0");
  // timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK); signalfd4(.., SFD_CLOEXEC|SFD_NONBLOCK);
  // inotify_init1(IN_NONBLOCK|IN_CLOEXEC)
  EXPECT_EQ(flags_text("timerfd", O_CLOEXEC | O_NONBLOCK), "TFD_CLOEXEC|TFD_NONBLOCK");
  EXPECT_EQ(flags_text("signalfd", O_CLOEXEC | O_NONBLOCK), "SFD_CLOEXEC|SFD_NONBLOCK");
  EXPECT_EQ(flags_text("inotify_init", O_CLOEXEC | O_NONBLOCK), "IN_NONBLOCK|IN_CLOEXEC");
  // inotify_add_watch(99, "/tmp", IN_ACCESS|IN_MODIFY|IN_CLOSE_WRITE|IN_ONLYDIR|IN_MASK_ADD|IN_ONESHOT)
  EXPECT_EQ(flags_text("inotify_mask", 0x1 | 0x2 | 0x8 | 0x01000000 | 0x20000000 | 0x80000000),
            "IN_ACCESS|IN_MODIFY|IN_CLOSE_WRITE|IN_ONLYDIR|IN_MASK_ADD|IN_ONESHOT");
  // ioctl(1, TCGETS, ..); TIOCGWINSZ; FIONREAD; FIOCLEX; 0x12345678; _IOR('x', 5, int)
  EXPECT_EQ(enum_text("ioctl", 0x5401), "TCGETS");
  EXPECT_EQ(enum_text("ioctl", 0x5413), "TIOCGWINSZ");
  EXPECT_EQ(enum_text("ioctl", 0x541B), "FIONREAD");
  EXPECT_EQ(enum_text("ioctl", 0x5451), "FIOCLEX");
  EXPECT_EQ(enum_text("ioctl", 0x12345678), "_IOC(_IOC_NONE, 0x56, 0x78, 0x1234)");
  EXPECT_EQ(enum_text("ioctl", _IOR('x', 5, int)), "_IOC(_IOC_READ, 0x78, 0x5, 0x4)");
}

TEST(Xlat, Sockets) {
  // socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP); socket(AF_INET6, SOCK_DGRAM|SOCK_NONBLOCK, 0);
  // socket(AF_UNIX, SOCK_SEQPACKET, 0); socket(AF_NETLINK, ..); socket(AF_PACKET, 11, 0); socket(123, 0x100, 250)
  EXPECT_EQ(enum_text("af", AF_INET), "AF_INET");
  EXPECT_EQ(enum_text("af", AF_INET6), "AF_INET6");
  EXPECT_EQ(enum_text("af", AF_UNIX), "AF_UNIX");
  EXPECT_EQ(enum_text("af", AF_NETLINK), "AF_NETLINK");
  EXPECT_EQ(enum_text("af", AF_PACKET), "AF_PACKET");
  EXPECT_EQ(enum_text("af", 123), "0x7b /* AF_??? */");
  EXPECT_EQ(enum_text("socktype", SOCK_STREAM | SOCK_CLOEXEC), "SOCK_STREAM|SOCK_CLOEXEC");
  EXPECT_EQ(enum_text("socktype", SOCK_DGRAM | SOCK_NONBLOCK), "SOCK_DGRAM|SOCK_NONBLOCK");
  EXPECT_EQ(enum_text("socktype", SOCK_SEQPACKET), "SOCK_SEQPACKET");
  EXPECT_EQ(enum_text("socktype", 11), "0xb /* SOCK_??? */");
  EXPECT_EQ(enum_text("socktype", 0x100), "0x100 /* SOCK_??? */");
  // socket(AF_INET, 0x100|SOCK_CLOEXEC, 0); socket(AF_INET, 0, 0); socket(AF_INET, SOCK_PACKET|0x10000, 0)
  EXPECT_EQ(enum_text("socktype", 0x100 | SOCK_CLOEXEC), "SOCK_CLOEXEC|0x100");
  EXPECT_EQ(enum_text("socktype", 0), "0");
  EXPECT_EQ(enum_text("socktype", SOCK_PACKET | 0x10000), "SOCK_PACKET|0x10000 /* SOCK_??? */");
  EXPECT_EQ(flags_text("sock", SOCK_CLOEXEC), "SOCK_CLOEXEC");
  EXPECT_EQ(enum_text("ipproto", IPPROTO_TCP), "IPPROTO_TCP");
  EXPECT_EQ(enum_text("ipproto", IPPROTO_IP), "IPPROTO_IP");
  EXPECT_EQ(enum_text("ipproto", IPPROTO_ICMP), "IPPROTO_ICMP");
  // setsockopt(s, SOL_SOCKET, SO_REUSEADDR, ..); (IPPROTO_TCP, TCP_NODELAY); (IPPROTO_IP, IP_TOS);
  // (IPPROTO_IPV6, IPV6_V6ONLY); (SOL_SOCKET, 999); (999, 5); (IPPROTO_TCP, 999); (SOL_SOCKET, SO_KEEPALIVE)
  EXPECT_EQ(enum_text("sol", SOL_SOCKET), "SOL_SOCKET");
  EXPECT_EQ(enum_text("sol", IPPROTO_TCP), "SOL_TCP");
  EXPECT_EQ(enum_text("sol", IPPROTO_IP), "SOL_IP");
  EXPECT_EQ(enum_text("sol", IPPROTO_IPV6), "SOL_IPV6");
  EXPECT_EQ(enum_text("sol", 999), "0x3e7 /* SOL_?? */");
  EXPECT_EQ(enum_text("sockopt", SO_REUSEADDR), "SO_REUSEADDR");
  EXPECT_EQ(sockopt_text(SOL_SOCKET, SO_REUSEADDR), "SO_REUSEADDR");
  EXPECT_EQ(sockopt_text(SOL_SOCKET, SO_KEEPALIVE), "SO_KEEPALIVE");
  EXPECT_EQ(sockopt_text(IPPROTO_TCP, TCP_NODELAY), "TCP_NODELAY");
  EXPECT_EQ(sockopt_text(IPPROTO_IP, IP_TOS), "IP_TOS");
  EXPECT_EQ(sockopt_text(IPPROTO_IPV6, IPV6_V6ONLY), "IPV6_V6ONLY");
  EXPECT_EQ(sockopt_text(SOL_SOCKET, 999), "0x3e7 /* SO_??? */");
  EXPECT_EQ(sockopt_text(999, 5), "5");
  EXPECT_EQ(sockopt_text(IPPROTO_TCP, 999), "0x3e7 /* TCP_??? */");
  // Each level's own table (a curl trace once showed SOL_TCP, SO_DEBUG):
  // setsockopt(5, SOL_TCP, TCP_NODELAY, [1], 4); (SOL_TCP, TCP_KEEPIDLE);
  // (SOL_UDP, UDP_SEGMENT); (SOL_NETLINK, NETLINK_EXT_ACK); (SOL_PACKET,
  // PACKET_AUXDATA); (SOL_SOCKET, 0x270f /* SO_??? */)
  EXPECT_EQ(sockopt_text(SOL_TCP, 1), "TCP_NODELAY");
  EXPECT_EQ(sockopt_text(SOL_TCP, 4), "TCP_KEEPIDLE");
  EXPECT_EQ(sockopt_text(SOL_UDP, 103), "UDP_SEGMENT");
  EXPECT_EQ(sockopt_text(SOL_NETLINK, 11), "NETLINK_EXT_ACK");
  EXPECT_EQ(sockopt_text(SOL_PACKET, 8), "PACKET_AUXDATA");
  EXPECT_EQ(sockopt_text(SOL_SOCKET, 9999), "0x270f /* SO_??? */");
  // socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE); (..., NETLINK_SOCK_DIAG);
  // socket(AF_PACKET, SOCK_RAW|SOCK_CLOEXEC, htons(ETH_P_ALL)); socket(AF_INET, SOCK_STREAM, IPPROTO_IP)
  EXPECT_EQ(socket_protocol_text(AF_NETLINK, 0), "NETLINK_ROUTE");
  EXPECT_EQ(socket_protocol_text(AF_NETLINK, 4), "NETLINK_SOCK_DIAG");
  EXPECT_EQ(socket_protocol_text(AF_PACKET, htons(3)), "htons(ETH_P_ALL)");
  EXPECT_EQ(socket_protocol_text(AF_INET, 0), "IPPROTO_IP");
  // shutdown(7, SHUT_RDWR); shutdown(7, 9)
  EXPECT_EQ(enum_text("shutdown", SHUT_RDWR), "SHUT_RDWR");
  EXPECT_EQ(enum_text("shutdown", 9), "0x9 /* SHUT_??? */");
}

TEST(Xlat, FileSystemAndMiscellaneousSets) {
  // A second program, same strace command line:
  // poll([{fd=0, events=POLLIN|POLLPRI|POLLRDHUP|0x4000}], ..); events=0x4000
  EXPECT_EQ(flags_text("poll", POLLIN | POLLPRI | POLLRDHUP | 0x4000), "POLLIN|POLLPRI|POLLRDHUP|0x4000");
  EXPECT_EQ(flags_text("poll", 0x4000), "0x4000 /* POLL??? */");
  // mount(.., MS_RDONLY|MS_NOSUID|MS_BIND|MS_REC, ..); 0xC0ED0000|MS_NODEV; 0xC0ED0000; 0
  EXPECT_EQ(flags_text("mount", MS_RDONLY | MS_NOSUID | MS_BIND | MS_REC), "MS_RDONLY|MS_NOSUID|MS_BIND|MS_REC");
  EXPECT_EQ(flags_text("mount", 0xC0ED0000 | MS_NODEV), "MS_MGC_VAL|MS_NODEV");
  EXPECT_EQ(flags_text("mount", 0xC0ED0000), "MS_MGC_VAL");
  EXPECT_EQ(flags_text("mount", 0), "0");
  // umount2(.., MNT_DETACH|UMOUNT_NOFOLLOW); umount2(.., 0x100)
  EXPECT_EQ(flags_text("umount", MNT_DETACH | UMOUNT_NOFOLLOW), "MNT_DETACH|UMOUNT_NOFOLLOW");
  EXPECT_EQ(flags_text("umount", 0x100), "0x100 /* MNT_??? */");
  // renameat2(.., RENAME_NOREPLACE|RENAME_WHITEOUT); statx(.., STATX_TYPE|STATX_MODE|STATX_BTIME|STATX_MNT_ID, ..)
  EXPECT_EQ(flags_text("rename", RENAME_NOREPLACE | RENAME_WHITEOUT), "RENAME_NOREPLACE|RENAME_WHITEOUT");
  EXPECT_EQ(flags_text("statx_mask", STATX_TYPE | STATX_MODE | STATX_BTIME | STATX_MNT_ID),
            "STATX_TYPE|STATX_MODE|STATX_BTIME|STATX_MNT_ID");
  // memfd_create("x", MFD_CLOEXEC|MFD_ALLOW_SEALING); setxattr(.., XATTR_CREATE)
  EXPECT_EQ(flags_text("memfd", MFD_CLOEXEC | MFD_ALLOW_SEALING), "MFD_CLOEXEC|MFD_ALLOW_SEALING");
  EXPECT_EQ(flags_text("xattr", XATTR_CREATE), "XATTR_CREATE");
  // fallocate(99, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, ..); splice(.., SPLICE_F_MOVE|SPLICE_F_NONBLOCK|
  // SPLICE_F_MORE); close_range(1000, 1001, CLOSE_RANGE_CLOEXEC|CLOSE_RANGE_UNSHARE)
  EXPECT_EQ(flags_text("fallocate", FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE),
            "FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE");
  EXPECT_EQ(flags_text("splice", SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE),
            "SPLICE_F_MOVE|SPLICE_F_NONBLOCK|SPLICE_F_MORE");
  EXPECT_EQ(flags_text("close_range", CLOSE_RANGE_CLOEXEC | CLOSE_RANGE_UNSHARE),
            "CLOSE_RANGE_UNSHARE|CLOSE_RANGE_CLOEXEC");
  // getrandom(.., GRND_NONBLOCK|GRND_INSECURE); getitimer(ITIMER_PROF, ..); getitimer(ITIMER_REAL, ..)
  EXPECT_EQ(flags_text("getrandom", GRND_NONBLOCK | GRND_INSECURE), "GRND_NONBLOCK|GRND_INSECURE");
  EXPECT_EQ(enum_text("itimer", ITIMER_PROF), "ITIMER_PROF");
  EXPECT_EQ(enum_text("itimer", ITIMER_REAL), "ITIMER_REAL");
  // waitid(P_PIDFD, 99, .., WEXITED|WNOHANG); waitid(P_ALL, ..); waitid(7, 0, .., 0x100)
  EXPECT_EQ(enum_text("idtype", P_PIDFD), "P_PIDFD");
  EXPECT_EQ(enum_text("idtype", P_ALL), "P_ALL");
  EXPECT_EQ(enum_text("idtype", 7), "0x7 /* P_??? */");
  EXPECT_EQ(flags_text("wait", WEXITED | WNOHANG), "WNOHANG|WEXITED");
  EXPECT_EQ(flags_text("wait", 0x100), "0x100 /* W??? */");
  // sched_setscheduler(0, SCHED_OTHER|SCHED_RESET_ON_FORK, ..): not split; SCHED_BATCH; 17
  EXPECT_EQ(enum_text("sched_policy", SCHED_OTHER | SCHED_RESET_ON_FORK), "0x40000000 /* SCHED_??? */");
  EXPECT_EQ(enum_text("sched_policy", SCHED_BATCH), "SCHED_BATCH");
  EXPECT_EQ(enum_text("sched_policy", SCHED_OTHER), "SCHED_OTHER");
  EXPECT_EQ(enum_text("sched_policy", 17), "0x11 /* SCHED_??? */");
  // fadvise64(99, 0, 0, POSIX_FADV_DONTNEED); 17
  EXPECT_EQ(enum_text("fadvise", POSIX_FADV_DONTNEED), "POSIX_FADV_DONTNEED");
  EXPECT_EQ(enum_text("fadvise", 17), "0x11 /* POSIX_FADV_??? */");
  // seccomp(SECCOMP_GET_ACTION_AVAIL, 0, NULL); seccomp(17, 0, NULL)
  EXPECT_EQ(enum_text("seccomp_op", SECCOMP_GET_ACTION_AVAIL), "SECCOMP_GET_ACTION_AVAIL");
  EXPECT_EQ(enum_text("seccomp_op", 17), "0x11 /* SECCOMP_SET_MODE_??? */");
  // sendto(4, "x", 1, MSG_DONTWAIT|MSG_NOSIGNAL|MSG_MORE, NULL, 0)
  EXPECT_EQ(flags_text("msg", MSG_DONTWAIT | MSG_NOSIGNAL | MSG_MORE), "MSG_DONTWAIT|MSG_NOSIGNAL|MSG_MORE");
  // clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, ..); 0x10
  EXPECT_EQ(flags_text("timer", TIMER_ABSTIME), "TIMER_ABSTIME");
  EXPECT_EQ(flags_text("timer", 0x10), "0x10 /* TIMER_??? */");
  // epoll_create1(0); epoll_create1(0x10); epoll_ctl(.., {events=0x800, ..})
  EXPECT_EQ(flags_text("epoll_create", 0), "0");
  EXPECT_EQ(flags_text("epoll_create", 0x10), "0x10 /* EPOLL_??? */");
  EXPECT_EQ(flags_text("epoll_events", 0x800), "0x800 /* EPOLL??? */");
  // access("/x", R_OK|0x10); newfstatat(.., 0x10000)
  EXPECT_EQ(flags_text("access", R_OK | 0x10), "R_OK|0x10");
  EXPECT_EQ(flags_text("at", 0x10000), "0x10000 /* AT_??? */");
}

TEST(Xlat, UnknownSetsShowTheNumber) {
  EXPECT_EQ(flags_text("no_such_set", 0x42), "0x42");
  EXPECT_EQ(enum_text("no_such_set", 7), "0x7");
}

TEST(Sockaddr, Inet) {
  // connect(7, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}, 16)
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(80);
  sin.sin_addr.s_addr = inet_addr("127.0.0.1");
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(sin))),
            R"({sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")})");
  // connect(7, {sa_family=AF_INET, sa_data="\0P\177\0\0\1"}, 8): too short for sockaddr_in
  Value cut = sockaddr_value(bytes_of(sin, 8));
  const auto& fields = std::get<Aggregate>(cut).fields;
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[1].name, "sa_data");
  EXPECT_EQ(std::get<Bytes>(fields[1].value).data, std::string("\0P\177\0\0\1", 6));
  // connect(7, {sa_family=AF_INET}, 2)
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(sin, 2))), "{sa_family=AF_INET}");
  // connect(7, 0x7ffc8ead3010, 1): strace shows the address; the bytes are all we have
  Value one = sockaddr_value(bytes_of(sin, 1));
  ASSERT_NE(std::get_if<Bytes>(&one), nullptr);
  EXPECT_EQ(std::get<Bytes>(one).data.size(), 1u);
  Value none = sockaddr_value({});
  ASSERT_NE(std::get_if<Bytes>(&none), nullptr);
  EXPECT_EQ(std::get<Bytes>(none).data, "");
}

TEST(Sockaddr, Inet6) {
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(443);
  sin6.sin6_addr = in6addr_loopback;
  // connect(7, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0),
  //             inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28)
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(sin6))),
            R"({sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), )"
            R"(inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0})");
  sin6.sin6_flowinfo = htonl(5);
  ASSERT_EQ(inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr), 1);
  // connect(7, {.., sin6_flowinfo=htonl(5), inet_pton(AF_INET6, "fe80::1", &sin6_addr)}, 24)
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(sin6, 24))),
            R"({sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(5), )"
            R"(inet_pton(AF_INET6, "fe80::1", &sin6_addr)})");
  // connect(7, {sa_family=AF_INET6, sa_data="\1\273\0\0\0\5\376\200"}, 10)
  Value cut = sockaddr_value(bytes_of(sin6, 10));
  const auto& fields = std::get<Aggregate>(cut).fields;
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(std::get<Bytes>(fields[1].value).data, std::string("\1\273\0\0\0\5\376\200", 8));
}

TEST(Sockaddr, Unix) {
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  std::strcpy(sun.sun_path, "/run/x.sock");
  // connect(7, {sa_family=AF_UNIX, sun_path="/run/x.sock"}, 110), then lengths 14 and 6
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(sun))), R"({sa_family=AF_UNIX, sun_path="/run/x.sock"})");
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(sun, 14))), R"({sa_family=AF_UNIX, sun_path="/run/x.sock"})");
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(sun, 6))), R"({sa_family=AF_UNIX, sun_path="/run"})");
  // connect(7, {sa_family=AF_UNIX, sun_path=@"name"}, 7): an abstract name
  std::memcpy(sun.sun_path, "\0name", 5);
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(sun, 7))), R"({sa_family=AF_UNIX, sun_path=@"name"})");
  // connect(7, {sa_family=AF_UNIX}, 2)
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(sun, 2))), "{sa_family=AF_UNIX}");
}

TEST(Sockaddr, NetlinkAndOthers) {
  struct {
    uint16_t family, pad;
    uint32_t pid, groups;
  } nl{AF_NETLINK, 0, 7, 0x11};
  // connect(7, {sa_family=AF_NETLINK, nl_pid=7, nl_groups=0x000011}, 12)
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(nl))), "{sa_family=AF_NETLINK, nl_pid=7, nl_groups=0x000011}");
  nl.pid = 0;
  nl.groups = 0;
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(nl))), "{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}");
  // ip route's second socket: getsockname(4, {sa_family=AF_NETLINK, nl_pid=-726852207, nl_groups=00000000}, [12])
  nl.pid = static_cast<uint32_t>(-726852207);
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(nl))), "{sa_family=AF_NETLINK, nl_pid=-726852207, nl_groups=00000000}");
  // connect(7, {sa_family=AF_NETLINK, sa_data="\0\0\7\0"}, 6) with nl_pid 7
  nl.pid = 7;
  Value cut = sockaddr_value(bytes_of(nl, 6));
  EXPECT_EQ(std::get<Bytes>(std::get<Aggregate>(cut).fields[1].value).data, std::string("\0\0\7\0", 4));
  // connect(7, {sa_family=AF_APPLETALK, sa_data="ab\0\1\0\0\0\0\0\0\0\0\0\0"}, 16)
  sockaddr sa{};
  sa.sa_family = AF_APPLETALK;
  std::memcpy(sa.sa_data, "ab\0\1", 4);
  Value other = sockaddr_value(bytes_of(sa));
  const auto& fields = std::get<Aggregate>(other).fields;
  EXPECT_EQ(text_of(fields[0].value), "AF_APPLETALK");
  EXPECT_EQ(std::get<Bytes>(fields[1].value).data, std::string("ab\0\1\0\0\0\0\0\0\0\0\0\0", 14));
  // connect(7, {sa_family=0xc8 /* AF_??? */, sa_data="ab"}, 4)
  sa.sa_family = 200;
  EXPECT_EQ(text_of(sockaddr_value(bytes_of(sa, 4))), R"({sa_family=0xc8 /* AF_??? */, sa_data="ab"})");
}
