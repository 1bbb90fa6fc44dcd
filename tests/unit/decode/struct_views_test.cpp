// strace's struct layouts on the running kernel's BTF. Expected texts are
// strace 6.1's own output on this project's VM for the same values (the
// programs that produced them made the same calls with the same values),
// or, for live values, formatted here independently of the decoder.
#include <asm/termbits.h>
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/openat2.h>
#include <sched.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>

#include "decode/render/text_renderer.h"
#include "decode/values/btf_types.h"
#include "decode/values/dirent_view.h"
#include "decode/values/struct_views.h"

namespace etrace::decode {
namespace {

const BtfTypes* kernel_btf() {
  static const std::optional<BtfTypes> types = []() -> std::optional<BtfTypes> {
    std::ifstream in("/sys/kernel/btf/vmlinux", std::ios::binary);
    const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto r = BtfTypes::from_bytes(raw);
    if (!r.ok()) return std::nullopt;
    return std::move(*r);
  }();
  return types ? &*types : nullptr;
}

template <typename T>
std::string_view bytes_of(const T& v) {
  return {reinterpret_cast<const char*>(&v), sizeof(v)};
}

class StructViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    types_ = kernel_btf();
    if (types_ == nullptr) GTEST_SKIP() << "NO KERNEL BTF: /sys/kernel/btf/vmlinux is missing; struct views untested";
  }
  uint32_t id(std::string_view name) {
    auto found = types_->find_type(name);
    EXPECT_TRUE(found.has_value()) << name;
    return found.value_or(0);
  }
  std::string text(std::string_view type, std::string_view bytes, ViewOptions options = {}) {
    return value_text(render_struct(*types_, id(type), bytes, options));
  }
  const BtfTypes* types_ = nullptr;
};

// glibc's struct stat on x86-64 is the kernel's, byte for byte.
struct stat passwd_as_strace_saw_it() {
  struct stat st {};
  st.st_dev = 0xfe00;
  st.st_ino = 861;
  st.st_mode = S_IFREG | 0644;
  st.st_nlink = 1;
  st.st_blksize = 4096;
  st.st_blocks = 8;
  st.st_size = 1221;
  st.st_atim = {1795316482, 368767878};
  st.st_mtim = {1779294449, 0};
  st.st_ctim = {1779294449, 0};
  return st;
}

TEST_F(StructViewsTest, StatAbbreviated) {
  EXPECT_EQ(text("stat", bytes_of(passwd_as_strace_saw_it())), "{st_mode=S_IFREG|0644, st_size=1221, ...}");
}

TEST_F(StructViewsTest, StatVerbose) {
  EXPECT_EQ(text("stat", bytes_of(passwd_as_strace_saw_it()), {.verbose = true}),
            "{st_dev=makedev(0xfe, 0), st_ino=861, st_mode=S_IFREG|0644, st_nlink=1, st_uid=0, st_gid=0, "
            "st_blksize=4096, st_blocks=8, st_size=1221, "
            "st_atime=1795316482 /* 2026-11-22T03:01:22.368767878+0000 */, st_atime_nsec=368767878, "
            "st_mtime=1779294449 /* 2026-05-20T16:27:29+0000 */, st_mtime_nsec=0, "
            "st_ctime=1779294449 /* 2026-05-20T16:27:29+0000 */, st_ctime_nsec=0}");
}

TEST_F(StructViewsTest, StatOfADeviceShowsItsNumberNotASize) {
  struct stat st {};
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_EQ(text("stat", bytes_of(st)), "{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}");
}

TEST_F(StructViewsTest, StatFromARealCall) {
  struct stat st {};
  ASSERT_EQ(stat("/etc/passwd", &st), 0);
  char expected[128];
  std::snprintf(expected, sizeof(expected), "{st_mode=S_IFREG|%#o, st_size=%lld, ...}",
                static_cast<unsigned>(st.st_mode & 07777), static_cast<long long>(st.st_size));
  EXPECT_EQ(text("stat", bytes_of(st)), expected);
}

TEST_F(StructViewsTest, CutStatKeepsWhatWasCopied) {
  const struct stat st = passwd_as_strace_saw_it();
  // Up to st_mode's end: no size yet.
  EXPECT_EQ(text("stat", bytes_of(st).substr(0, offsetof(struct stat, st_uid))), "{st_mode=S_IFREG|0644, ...}");
}

TEST_F(StructViewsTest, Timespecs) {
  const struct timespec ts = {1, 500000000};
  EXPECT_EQ(text("__kernel_timespec", bytes_of(ts)), "{tv_sec=1, tv_nsec=500000000}");
  const struct itimerspec its = {{1, 0}, {2, 5}};
  EXPECT_EQ(text("__kernel_itimerspec", bytes_of(its)),
            "{it_interval={tv_sec=1, tv_nsec=0}, it_value={tv_sec=2, tv_nsec=5}}");
  const struct timeval tv = {1795325418, 874685};
  EXPECT_EQ(text("__kernel_old_timeval", bytes_of(tv)), "{tv_sec=1795325418, tv_usec=874685}");
  const struct timezone tz = {0, 0};
  EXPECT_EQ(text("timezone", bytes_of(tz)), "{tz_minuteswest=0, tz_dsttime=0}");
}

// ioctl(fd, TCGETS, ..) on a new pseudo-terminal: strace's four flag words,
// value fields (NL0, B38400) spelled out, the control characters left out.
TEST_F(StructViewsTest, Termios) {
  struct termios t {};
  t.c_iflag = ICRNL | IXON;
  t.c_oflag = OPOST | ONLCR;
  t.c_cflag = B38400 | CS8 | CREAD;
  t.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN | ECHOCTL | ECHOKE;
  t.c_cc[VINTR] = 3;
  EXPECT_EQ(text("termios", bytes_of(t)),
            "{c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, "
            "c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}");
  // A split input speed, and bits no name covers.
  t.c_cflag = B9600 | CS7 | (B38400 << 16) | 0x2000;
  t.c_lflag = 0;
  EXPECT_EQ(text("termios", bytes_of(t)),
            "{c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B9600|CS7|B38400<<IBSHIFT|"
            "0x2000, c_lflag=0, ...}");
}

// ptrace(PTRACE_GETREGS, ..): the kernel's member names, user space's in the text.
TEST_F(StructViewsTest, UserRegs) {
  struct user_regs_struct regs {};
  regs.rax = 0xfffffffffffffdfe;
  regs.orig_rax = 0x22;
  regs.rip = 0x438fd9;
  regs.cs = 0x33;
  EXPECT_EQ(text("user_regs_struct", bytes_of(regs)),
            "{r15=0, r14=0, r13=0, r12=0, rbp=0, rbx=0, r11=0, r10=0, r9=0, r8=0, rax=0xfffffffffffffdfe, rcx=0, "
            "rdx=0, rsi=0, rdi=0, orig_rax=0x22, rip=0x438fd9, cs=0x33, eflags=0, rsp=0, ss=0, fs_base=0, gs_base=0, "
            "ds=0, es=0, fs=0, gs=0}");
}

TEST_F(StructViewsTest, Rlimits) {
  const struct rlimit stack = {8192 * 1024, RLIM_INFINITY};
  EXPECT_EQ(text("rlimit64", bytes_of(stack)), "{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}");
  const struct rlimit nofile = {1024, 4096};
  EXPECT_EQ(text("rlimit", bytes_of(nofile)), "{rlim_cur=1024, rlim_max=4*1024}");
  const struct rlimit core = {3000, 1 << 20};
  EXPECT_EQ(text("rlimit", bytes_of(core)), "{rlim_cur=3000, rlim_max=1024*1024}");
}

TEST_F(StructViewsTest, Rusage) {
  struct rusage ru {};
  ru.ru_utime = {0, 2398};
  ru.ru_maxrss = 1092;
  EXPECT_EQ(text("rusage", bytes_of(ru)), "{ru_utime={tv_sec=0, tv_usec=2398}, ru_stime={tv_sec=0, tv_usec=0}, ...}");
  ru.ru_utime = {0, 1502};
  ru.ru_minflt = 62;
  ru.ru_nvcsw = 97;
  ru.ru_nivcsw = 1;
  EXPECT_EQ(text("rusage", bytes_of(ru), {.verbose = true}),
            "{ru_utime={tv_sec=0, tv_usec=1502}, ru_stime={tv_sec=0, tv_usec=0}, ru_maxrss=1092, ru_ixrss=0, "
            "ru_idrss=0, ru_isrss=0, ru_minflt=62, ru_majflt=0, ru_nswap=0, ru_inblock=0, ru_oublock=0, "
            "ru_msgsnd=0, ru_msgrcv=0, ru_nsignals=0, ru_nvcsw=97, ru_nivcsw=1}");
}

TEST_F(StructViewsTest, Utsname) {
  struct utsname u {};
  ASSERT_EQ(uname(&u), 0);
  EXPECT_EQ(text("new_utsname", bytes_of(u)),
            std::string("{sysname=\"") + u.sysname + "\", nodename=\"" + u.nodename + "\", ...}");
  const std::string verbose = text("new_utsname", bytes_of(u), {.verbose = true});
  EXPECT_NE(verbose.find(std::string(", machine=\"") + u.machine + "\", domainname=\""), std::string::npos) << verbose;
}

TEST_F(StructViewsTest, SchedParamIsAnArray) {
  const int priority = 0;
  EXPECT_EQ(text("sched_param", bytes_of(priority)), "[0]");
}

// The kernel's struct sigaction (handler, flags, restorer, mask), as
// rt_sigaction hands it over.
struct KernelSigaction {
  uint64_t handler, flags, restorer, mask;
};

TEST_F(StructViewsTest, Sigaction) {
  const KernelSigaction set = {0x5654cca552a9, 0x04000000 | SA_RESTART, 0x7f7ca72c2050, 1u << (SIGINT - 1)};
  EXPECT_EQ(text("sigaction", bytes_of(set)),
            "{sa_handler=0x5654cca552a9, sa_mask=[INT], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f7ca72c2050}");
  const KernelSigaction ign = {1, 0x04000000, 0x7f6df19ed050, 0};
  EXPECT_EQ(text("sigaction", bytes_of(ign)),
            "{sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f6df19ed050}");
}

TEST_F(StructViewsTest, PollfdsAtEntryAndExit) {
  const struct pollfd fds[2] = {{3, POLLIN, POLLIN}, {-1, 0, 0}};
  EXPECT_EQ(value_text(render_struct_array(*types_, id("pollfd"), bytes_of(fds), 2, false)),
            "[{fd=3, events=POLLIN}, {fd=-1}]");
  EXPECT_EQ(value_text(render_struct_array(*types_, id("pollfd"), bytes_of(fds).substr(0, 8), 1, false,
                                           {.at_exit = true})),
            "[{fd=3, revents=POLLIN}]");
}

TEST_F(StructViewsTest, ArrayCutShortSaysThereWasMore) {
  const struct pollfd fds[2] = {{3, POLLIN, 0}, {4, POLLOUT, 0}};
  const List l = render_struct_array(*types_, id("pollfd"), bytes_of(fds).substr(0, 12), 2, false);
  EXPECT_EQ(l.items.size(), 1u);
  EXPECT_TRUE(l.more);
}

TEST_F(StructViewsTest, EpollEvent) {
  // The kernel's epoll_event is packed: 4 bytes of events, 8 of data.
  char ev[12];
  const uint32_t events = 0x1 | (1u << 31);  // EPOLLIN|EPOLLET
  const uint64_t data = 0x1234567890abcdefULL;
  std::memcpy(ev, &events, 4);
  std::memcpy(ev + 4, &data, 8);
  EXPECT_EQ(text("epoll_event", std::string_view(ev, sizeof(ev))),
            "{events=EPOLLIN|EPOLLET, data={u32=2427178479, u64=1311768467294899695}}");
}

TEST_F(StructViewsTest, Iovec) {
  const uint64_t iov[2] = {0x55d0c3a0, 2};
  EXPECT_EQ(text("iovec", std::string_view(reinterpret_cast<const char*>(iov), sizeof(iov))),
            "{iov_base=0x55d0c3a0, iov_len=2}");
}

// The expected text is strace's and must not change.
TEST_F(StructViewsTest, OpenHowShowsModeWhenItMatters) {
  const uint64_t creating[3] = {O_WRONLY | O_CREAT, 0600, 0};
  EXPECT_EQ(text("open_how", std::string_view(reinterpret_cast<const char*>(creating), sizeof(creating))),
            "{flags=O_WRONLY|O_CREAT, mode=0600, resolve=0}");
  const uint64_t no_symlinks[3] = {O_RDONLY | O_CLOEXEC, 0, RESOLVE_NO_SYMLINKS};
  EXPECT_EQ(text("open_how", std::string_view(reinterpret_cast<const char*>(no_symlinks), sizeof(no_symlinks))),
            "{flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS}");
  const uint64_t odd_mode[3] = {O_RDONLY, 0644, RESOLVE_BENEATH | RESOLVE_IN_ROOT};
  EXPECT_EQ(text("open_how", std::string_view(reinterpret_cast<const char*>(odd_mode), sizeof(odd_mode))),
            "{flags=O_RDONLY, mode=0644, resolve=RESOLVE_BENEATH|RESOLVE_IN_ROOT}");
}

TEST_F(StructViewsTest, CloneArgsShowWhatTheFlagsUse) {
  uint64_t args[11] = {};
  args[0] = CLONE_VFORK | CLONE_VM;
  args[4] = SIGCHLD;
  EXPECT_EQ(text("clone_args", std::string_view(reinterpret_cast<const char*>(args), sizeof(args))),
            "{flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=NULL, stack_size=0}");
  args[0] = CLONE_PIDFD | CLONE_PARENT_SETTID;
  args[1] = 0x7ffc276c80f0;
  args[3] = 0x7ffc276c80ec;
  // clone3 was called with 64 bytes: the copy ends after `tls`.
  EXPECT_EQ(text("clone_args", std::string_view(reinterpret_cast<const char*>(args), 64)),
            "{flags=CLONE_PIDFD|CLONE_PARENT_SETTID, pidfd=0x7ffc276c80f0, parent_tid=0x7ffc276c80ec, "
            "exit_signal=SIGCHLD, stack=NULL, stack_size=0}");
}

// The expected text is strace's and must not change.
TEST_F(StructViewsTest, StatxFromARealCall) {
  struct statx sx {};
  ASSERT_EQ(statx(AT_FDCWD, "/etc/passwd", 0, STATX_BASIC_STATS | STATX_MNT_ID, &sx), 0);
  char expected[256];
  std::snprintf(expected, sizeof(expected),
                "{stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|%#o, stx_size=%llu, ...}",
                static_cast<unsigned>(sx.stx_mode & 07777), static_cast<unsigned long long>(sx.stx_size));
  EXPECT_EQ(text("statx", bytes_of(sx)), expected);
  const std::string verbose = text("statx", bytes_of(sx), {.verbose = true});
  char mnt[64];
  std::snprintf(mnt, sizeof(mnt), ", stx_mnt_id=%#llx}", static_cast<unsigned long long>(sx.stx_mnt_id));
  EXPECT_NE(verbose.find(mnt), std::string::npos) << verbose;
  EXPECT_EQ(verbose.find("stx_btime"), std::string::npos) << "no STATX_BTIME in the mask: " << verbose;
}

// The expected text is strace's and must not change.
TEST_F(StructViewsTest, DirentsCountedThenListed) {
  char dir[] = "/tmp/etrace-dirents-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  for (const char* name : {"a", "bb", "ccc"}) {
    std::ofstream(std::string(dir) + "/" + name) << "x";
  }
  const int fd = open(dir, O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  char buf[4096];
  const long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
  close(fd);
  for (const char* name : {"a", "bb", "ccc"}) unlink((std::string(dir) + "/" + name).c_str());
  rmdir(dir);
  ASSERT_GT(n, 0);
  const std::string_view bytes(buf, static_cast<size_t>(n));

  EXPECT_EQ(value_text(render_dirents64(0x7ffc1566fdb0, bytes, false)), "0x7ffc1566fdb0 /* 5 entries */");

  const Value v = render_dirents64(0x7ffc1566fdb0, bytes, true);
  const List& entries = std::get<List>(v);
  EXPECT_FALSE(entries.more);
  std::set<std::string> names;
  for (const Value& e : entries.items) {
    const auto& fields = std::get<Aggregate>(e).fields;
    ASSERT_EQ(fields.size(), 5u);
    EXPECT_EQ(fields[3].name, "d_type");
    const auto& type = std::get<Symbolic>(fields[3].value).text;
    names.insert(std::get<Bytes>(fields[4].value).data);
    EXPECT_EQ(type, std::get<Bytes>(fields[4].value).data[0] == '.' ? "DT_DIR" : "DT_REG");
  }
  EXPECT_EQ(names, (std::set<std::string>{".", "..", "a", "bb", "ccc"}));
}

TEST_F(StructViewsTest, EveryViewSurvivesEveryCutOfRandomBytes) {
  std::mt19937 rng(7);
  for (std::string_view type : {"stat", "statx", "statfs", "open_how", "sigaction", "rlimit", "rlimit64", "rusage",
                                "new_utsname", "sysinfo", "sched_param", "clone_args", "pollfd", "epoll_event",
                                "linux_dirent64"}) {
    const uint32_t t = id(type);
    const uint64_t size = types_->size_of(t).value_or(0);
    std::string bytes(size + 64, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    for (uint64_t n = 0; n <= size; ++n) {
      for (bool verbose : {false, true}) {
        (void)value_text(render_struct(*types_, t, std::string_view(bytes).substr(0, n), {.verbose = verbose}));
      }
    }
    (void)render_dirents64(0, bytes, true);
  }
}

}  // namespace
}  // namespace etrace::decode
