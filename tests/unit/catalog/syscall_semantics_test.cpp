// The semantics table against the facts it describes: the build's syscall
// numbering, the running kernel's tracepoint formats and BTF, the constant
// sets etrace-decode knows, and strace's classes for a few syscalls.
#include <bpf/btf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "catalog/syscall_names.h"
#include "catalog/syscall_semantics.h"

namespace etrace::catalog {
extern const char kSyscallSemanticsTable[];
}

namespace {

using namespace etrace::catalog;

// "#define __NR_read 0" lines of the header the build took its numbering from.
std::map<std::string, unsigned> header_syscalls() {
  std::ifstream in(ETRACE_UNISTD_HEADER);
  std::map<std::string, unsigned> out;
  const std::regex define(R"(^#define __NR_(\w+) (\d+)$)");
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_match(line, m, define)) out[m[1]] = std::stoul(m[2]);
  return out;
}

// The argument types of a live sys_enter format file, in order; nullopt when
// the kernel has no such tracepoint.
std::optional<std::vector<std::string>> tracepoint_arg_types(const std::string& event) {
  std::ifstream in("/sys/kernel/tracing/events/syscalls/sys_enter_" + event + "/format");
  if (!in) return std::nullopt;
  std::vector<std::string> types;
  const std::regex field(R"(^\s*field:(.*) (\w+);\s*offset:)");
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (!std::regex_search(line, m, field)) continue;
    const std::string name = m[2];
    if (name.rfind("common_", 0) == 0 || name == "__syscall_nr") continue;
    types.push_back(m[1]);
  }
  return types;
}

bool tracefs_readable() { return std::ifstream("/sys/kernel/tracing/events/syscalls/sys_enter_openat/format").good(); }

bool in_memory(ArgKind k) { return k > ArgKind::kLastScalar; }

const SyscallSemantics& entry(const std::string& name) {
  const SyscallSemantics* s = find_semantics(name);
  if (!s) throw std::runtime_error("no entry for " + name);
  return *s;
}

TEST(SyscallSemantics, TableParsesWithoutErrors) {
  std::vector<SemanticsParseError> errors;
  auto table = parse_semantics(kSyscallSemanticsTable, errors);
  for (const auto& e : errors) ADD_FAILURE() << "line " << e.line << ": " << e.message;
  EXPECT_EQ(table.size(), all_semantics().size());
}

TEST(SyscallSemantics, NamesAreUniqueAndEveryHeaderSyscallHasOne) {
  const auto header = header_syscalls();
  ASSERT_GT(header.size(), 300u) << "could not read " << ETRACE_UNISTD_HEADER;
  std::set<std::string> seen;
  for (const auto& s : all_semantics()) {
    EXPECT_TRUE(seen.insert(s.name).second) << "duplicate entry " << s.name;
    EXPECT_TRUE(header.count(s.name)) << s.name << " is not in " << ETRACE_UNISTD_HEADER;
  }
  for (const auto& [name, nr] : header) EXPECT_TRUE(seen.count(name)) << "no entry for " << name << " (" << nr << ")";
}

TEST(SyscallSemantics, LengthsReferToArgumentsThatCanBoundThem) {
  for (const auto& s : all_semantics()) {
    for (size_t i = 0; i < s.args.size(); ++i) {
      const ArgSemantics& a = s.args[i];
      const LengthSource& len = a.length;
      const std::string where = s.name + " argument " + std::to_string(i);
      if (len.from == LengthSource::From::kArg || len.from == LengthSource::From::kArgDeref) {
        ASSERT_LT(len.arg, s.args.size()) << where << " is bounded by an argument not listed";
        EXPECT_NE(len.arg, i) << where << " bounds itself";
        const ArgKind bound = s.args[len.arg].kind;
        if (len.from == LengthSource::From::kArg) {
          EXPECT_FALSE(in_memory(bound)) << where << ": a length argument is a register value";
        } else {
          EXPECT_EQ(bound, ArgKind::kSocklen) << where << ": *argN reads a socklen_t value-result";
        }
      }
      if (len.from == LengthSource::From::kReturn) {
        EXPECT_NE(a.direction, Direction::kIn) << where;
      }
      if (len.from == LengthSource::From::kCount) {
        EXPECT_GT(len.count, 0) << where;
      }
      const bool needs_length = a.kind == ArgKind::kBuffer || a.kind == ArgKind::kArray ||
                                a.kind == ArgKind::kIovec || a.kind == ArgKind::kSigset ||
                                a.kind == ArgKind::kFdSet || a.kind == ArgKind::kSockaddr ||
                                a.kind == ArgKind::kDirents;
      EXPECT_EQ(needs_length, len.from != LengthSource::From::kNone) << where;
    }
  }
}

TEST(SyscallSemantics, ArgumentsMatchTheKernelTracepointFormats) {
  if (!tracefs_readable())
    GTEST_SKIP() << "SKIPPED: /sys/kernel/tracing is not readable here (mount tracefs, run as root): the table's "
                    "argument positions were NOT checked against the kernel's formats";
  size_t checked = 0;
  for (const auto& s : all_semantics()) {
    auto types = tracepoint_arg_types(tracepoint_event(s.name));
    if (!types) continue;  // not built into this kernel (init_module without modules...) or never implemented
    ++checked;
    // Arguments read from the stack hold no register of their own.
    const size_t in_registers = static_cast<size_t>(
        std::count_if(s.args.begin(), s.args.end(), [](const ArgSemantics& a) { return !a.stack; }));
    EXPECT_LE(in_registers, types->size()) << s.name << " lists more arguments than its tracepoint";
    for (size_t i = 0; i < std::min(s.args.size(), types->size()); ++i) {
      if (s.args[i].stack) continue;
      const std::string& type = (*types)[i];
      // The kernel declares capget's two pointers as pointer typedefs.
      const bool pointer = type.find('*') != std::string::npos || type.find("cap_user_") != std::string::npos;
      const ArgKind k = s.args[i].kind;
      if (in_memory(k)) {
        EXPECT_TRUE(pointer) << s.name << " argument " << i << " is read as memory but is " << type;
      }
      if (pointer) {
        EXPECT_TRUE(in_memory(k) || k == ArgKind::kPtr || k == ArgKind::kHex)
            << s.name << " argument " << i << " (" << type << ") is a pointer shown as a number";
      }
    }
  }
  EXPECT_GT(checked, 300u);
}

TEST(SyscallSemantics, StackLocationsName) {
  std::vector<SemanticsParseError> errors;
  auto table = parse_semantics(
      "a - sigset_in:8@sp-8+rt_sigframe.uc.uc_sigmask\n"
      "b - struct_in:stat@sp+16\n"           // no member to find the place by
      "c - int@sp+rt_sigframe.uc\n"          // a register kind
      "d - sigset_out:8@sp+rt_sigframe.uc\n"  // copied at exit, when the stack has moved
      "e - sigset_in:8@sp*2+rt_sigframe\n",
      errors);
  ASSERT_EQ(table.size(), 1u);
  ASSERT_TRUE(table[0].args[0].stack);
  EXPECT_EQ(table[0].args[0].stack->bias, -8);
  EXPECT_EQ(table[0].args[0].stack->member, "rt_sigframe.uc.uc_sigmask");
  std::vector<size_t> lines;
  for (const auto& e : errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<size_t>{2, 3, 4, 5}));
}

TEST(SyscallSemantics, StructNamesExistInKernelBtf) {
  btf* vmlinux = btf__parse("/sys/kernel/btf/vmlinux", nullptr);
  if (!vmlinux)
    GTEST_SKIP() << "SKIPPED: /sys/kernel/btf/vmlinux cannot be read: the table's struct names were NOT checked";
  for (const auto& s : all_semantics()) {
    for (const auto& a : s.args) {
      if (a.kind != ArgKind::kStruct && a.kind != ArgKind::kArray) continue;
      const char* name = a.param.c_str();
      bool found = btf__find_by_name_kind(vmlinux, name, BTF_KIND_STRUCT) >= 0;
      if (a.kind == ArgKind::kArray)
        found = found || btf__find_by_name_kind(vmlinux, name, BTF_KIND_INT) >= 0 ||
                btf__find_by_name_kind(vmlinux, name, BTF_KIND_TYPEDEF) >= 0;
      EXPECT_TRUE(found) << s.name << ": no type '" << a.param << "' in kernel BTF";
    }
  }
  btf__free(vmlinux);
}

TEST(SyscallSemantics, ConstantSetsAreOnesTheDecoderKnows) {
  // The sets agreed with decode/values/xlat/.
  const std::set<std::string> flags = {
      "open",  "at",           "prot",          "map",      "msync",       "mlock",    "clone",   "msg",
      "wait",  "sock",         "access",        "poll",     "epoll_events", "epoll_create", "eventfd", "timerfd",
      "signalfd", "inotify_init", "inotify_mask", "mount", "umount",     "rename",   "statx_mask", "memfd",
      "mremap", "getrandom",   "sa",            "xattr",    "fallocate",   "splice",   "close_range", "timer",
      "fd_open", "statx_at",
      "unshare"};
  const std::set<std::string> enums = {
      "whence", "madvise", "fcntl", "futex_op", "prctl",   "arch_prctl", "rlimit",  "clock",    "sighow",
      "af",     "socktype", "ipproto", "sol",   "sockopt", "epoll_op",   "ioctl",   "shutdown", "priority",
      "itimer", "idtype",  "sched_policy", "fadvise", "rusage_who", "seccomp_op", "ptrace", "qcmd",
      "keyctl", "key_serial", "bpf_cmd"};
  for (const auto& s : all_semantics())
    for (const auto& a : s.args) {
      if (a.kind == ArgKind::kFlags) {
        EXPECT_TRUE(flags.count(a.param)) << s.name << ": flags:" << a.param;
      }
      if (a.kind == ArgKind::kEnum) {
        EXPECT_TRUE(enums.count(a.param)) << s.name << ": enum:" << a.param;
      }
    }
}

TEST(SyscallSemantics, PureCallsTakeNoArguments) {
  for (const auto& s : all_semantics()) {
    if (s.classes & kClassPure) {
      EXPECT_TRUE(s.args.empty()) << s.name;
    }
  }
}

// Membership seen in `strace -e trace=%CLASS` (strace 6.1) runs on this machine.
TEST(SyscallSemantics, ClassesAreStraces) {
  EXPECT_EQ(entry("openat").classes, kClassFile | kClassDesc);
  EXPECT_EQ(entry("mmap").classes, kClassDesc | kClassMemory);
  EXPECT_EQ(entry("sendfile").classes, kClassDesc | kClassNetwork);
  EXPECT_EQ(entry("execve").classes, kClassFile | kClassProcess);
  EXPECT_EQ(entry("kill").classes, kClassProcess | kClassSignal);
  EXPECT_EQ(entry("exit_group").classes, kClassProcess);
  EXPECT_EQ(entry("statfs").classes, kClassFile | kClassStatfs);
  EXPECT_EQ(entry("prctl").classes, kClassCreds);
  EXPECT_EQ(entry("pread64").classes, kClassDesc);
  EXPECT_EQ(entry("mq_unlink").classes, 0u);
  std::set<std::string> fstat, pure;
  for (const auto& s : all_semantics()) {
    if (s.classes & kClassFstat) fstat.insert(s.name);
    if (s.classes & kClassPure) pure.insert(s.name);
  }
  EXPECT_EQ(fstat, (std::set<std::string>{"fstat", "newfstatat", "statx"}));
  EXPECT_EQ(pure, (std::set<std::string>{"getegid", "geteuid", "getgid", "getpgrp", "getpid", "getppid", "gettid",
                                         "getuid"}));
}

TEST(SyscallSemantics, DirectionsAndBoundsOfCommonCalls) {
  const auto& read = entry("read").args;
  EXPECT_EQ(read[1].kind, ArgKind::kBuffer);
  EXPECT_EQ(read[1].direction, Direction::kOut);
  EXPECT_EQ(read[1].length.from, LengthSource::From::kReturn);
  const auto& write = entry("write").args;
  EXPECT_EQ(write[1].direction, Direction::kIn);
  EXPECT_EQ(write[1].length.from, LengthSource::From::kArg);
  EXPECT_EQ(write[1].length.arg, 2);
  const auto& accept4 = entry("accept4").args;
  EXPECT_EQ(accept4[1].kind, ArgKind::kSockaddr);
  EXPECT_EQ(accept4[1].direction, Direction::kOut);
  EXPECT_EQ(accept4[1].length.from, LengthSource::From::kArgDeref);
  EXPECT_EQ(accept4[1].length.arg, 2);
  EXPECT_EQ(entry("accept4").ret, ReturnKind::kFd);
  const auto& pipe2 = entry("pipe2").args;
  EXPECT_EQ(pipe2[0].kind, ArgKind::kArray);
  EXPECT_EQ(pipe2[0].length.from, LengthSource::From::kCount);
  EXPECT_EQ(pipe2[0].length.count, 2);
  EXPECT_EQ(entry("mmap").ret, ReturnKind::kAddress);
  EXPECT_EQ(entry("exit").ret, ReturnKind::kNone);
}

std::vector<SemanticsParseError> errors_of(std::string_view text) {
  std::vector<SemanticsParseError> errors;
  parse_semantics(text, errors);
  return errors;
}

TEST(SemanticsParser, ErrorsNameTheLine) {
  auto bad_kind = errors_of("read desc fd buf_out:ret uint\n\nwrite desc fd bufer:arg2\n");
  ASSERT_EQ(bad_kind.size(), 1u);
  EXPECT_EQ(bad_kind[0].line, 3u);
  EXPECT_NE(bad_kind[0].message.find("unknown argument kind 'bufer'"), std::string::npos) << bad_kind[0].message;

  auto bad_length = errors_of("# a comment\nread desc fd buf_out:arg9 uint\n");
  ASSERT_EQ(bad_length.size(), 1u);
  EXPECT_EQ(bad_length[0].line, 2u);
  EXPECT_NE(bad_length[0].message.find("bad length 'arg9'"), std::string::npos) << bad_length[0].message;

  auto input_by_ret = errors_of("write desc fd buf_in:ret uint\n");
  ASSERT_EQ(input_by_ret.size(), 1u);
  EXPECT_EQ(input_by_ret[0].line, 1u);
  EXPECT_NE(input_by_ret[0].message.find("input cannot be bounded by the return value"), std::string::npos);

  auto zero_count = errors_of("pipe desc array_out:int:0\n");
  ASSERT_EQ(zero_count.size(), 1u);
  EXPECT_NE(zero_count[0].message.find("bad length '0'"), std::string::npos) << zero_count[0].message;

  auto bad_class = errors_of("read dsec fd\n");
  ASSERT_EQ(bad_class.size(), 1u);
  EXPECT_NE(bad_class[0].message.find("unknown class 'dsec'"), std::string::npos);

  auto bad_return = errors_of("close desc fd -> file\n");
  ASSERT_EQ(bad_return.size(), 1u);
  EXPECT_NE(bad_return[0].message.find("'->'"), std::string::npos);

  auto missing_param = errors_of("fstat desc fd struct_out\n");
  ASSERT_EQ(missing_param.size(), 1u);
  EXPECT_NE(missing_param[0].message.find("needs 1 or 2 parameter"), std::string::npos) << missing_param[0].message;
}

TEST(SemanticsParser, ReadsCountsDirectionsAndReturns) {
  std::vector<SemanticsParseError> errors;
  auto t = parse_semantics("utimensat desc,file dirfd path array_in:__kernel_timespec:2 flags:at -> hex\n", errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].classes, kClassDesc | kClassFile);
  ASSERT_EQ(t[0].args.size(), 4u);
  EXPECT_EQ(t[0].args[2].param, "__kernel_timespec");
  EXPECT_EQ(t[0].args[2].length.from, LengthSource::From::kCount);
  EXPECT_EQ(t[0].args[2].length.count, 2);
  EXPECT_EQ(t[0].args[3].param, "at");
  EXPECT_EQ(t[0].ret, ReturnKind::kHex);
}

TEST(SemanticsParser, DescriptorEffectsEndTheLine) {
  std::vector<SemanticsParseError> errors;
  auto t = parse_semantics("dup3 desc fd fd flags:fd_open -> fd  fds=dup3\nclose desc fd fds=close\n", errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].fds, FdEffect::kDup3);
  EXPECT_EQ(t[0].ret, ReturnKind::kFd);
  EXPECT_EQ(t[0].args.size(), 3u);
  EXPECT_EQ(t[1].fds, FdEffect::kClose);
  auto bad = errors_of("close desc fd fds=shut\n");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad[0].message.find("fds=shut"), std::string::npos) << bad[0].message;
}

TEST(SemanticsTable, DescriptorEffectsOfTheCallsDecodeFollows) {
  EXPECT_EQ(find_semantics("openat")->fds, FdEffect::kOpenat);
  EXPECT_EQ(find_semantics("eventfd2")->fds, FdEffect::kAnonymous);
  EXPECT_EQ(find_semantics("clone3")->fds, FdEffect::kClone3);
  EXPECT_EQ(find_semantics("read")->fds, FdEffect::kNone);
  EXPECT_EQ(find_semantics("memfd_secret")->fds, FdEffect::kNone);  // an fd decode does not follow
}

}  // namespace
