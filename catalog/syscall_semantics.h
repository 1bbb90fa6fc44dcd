// What format files cannot say about a syscall, in one table shared by both
// tools: each argument's kind (a path, a buffer bounded by another argument,
// a struct written by the kernel, open flags...), its direction, what bounds
// its length, and the syscall's trace classes (%file, %network...).
//
// etrace-capture derives its copy plans from it (what BPF copies, at enter
// or at exit); etrace-decode chooses how to show each argument from it.
// The table itself is text, one line per syscall, in
// syscall_semantics_table.cpp; its grammar is described there.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace etrace::catalog {

// strace's trace classes, as -s %NAME selects them.
enum TraceClass : uint32_t {
  kClassFile = 1u << 0,     // takes a file name
  kClassDesc = 1u << 1,     // takes or returns a file descriptor
  kClassNetwork = 1u << 2,  // network related
  kClassProcess = 1u << 3,  // process lifecycle
  kClassMemory = 1u << 4,   // memory mapping
  kClassSignal = 1u << 5,
  kClassIpc = 1u << 6,
  kClassCreds = 1u << 7,    // user and group ids, capabilities
  kClassClock = 1u << 8,    // reads or changes clocks
  kClassStat = 1u << 9,     // stat by file name (strace's %stat; %%stat is the three stat classes)
  kClassLstat = 1u << 10,
  kClassFstat = 1u << 11,   // fstat, newfstatat, statx
  kClassStatfs = 1u << 12,  // statfs by file name
  kClassFstatfs = 1u << 13,
  kClassPure = 1u << 14,    // always succeeds, takes no arguments
};

// Every class name ("file", "desc", "net"...), for -s and for messages.
const std::vector<std::pair<std::string_view, uint32_t>>& trace_class_names();

// What an argument is. Kinds up to kLastScalar live in the register alone;
// the others point at memory the capture copies.
enum class ArgKind : uint8_t {
  // --- in the register
  kInt,       // signed decimal
  kUint,      // unsigned decimal
  kHex,       // 0x...
  kPtr,       // an address shown as such (NULL when 0)
  kFd,        // a descriptor (decode -y adds its path)
  kDirFd,     // a descriptor or AT_FDCWD
  kMode,      // permission bits, octal: 0644
  kFileMode,  // S_IFREG|0644 (mknod)
  kSignal,    // SIGINT
  kFlags,     // bit flags of the set named by `param` ("open", "at", "prot"...)
  kEnum,      // one value of the set named by `param` ("whence", "futex_op"...)
  kLastScalar = kEnum,
  // --- pointing at memory
  kPath,         // NUL-terminated file name, in, shown in full
  kString,       // NUL-terminated string, in, cut at decode's -s
  kBuffer,       // bytes; bounded by `len` (an argument or the return value)
  kStruct,       // a struct of the kernel BTF type named by `param`
  kArray,        // `len` elements of the BTF type named by `param`
  kSockaddr,     // struct sockaddr, bounded by `len` (an argument, or via a socklen_t pointer)
  kSocklen,      // int socklen_t pointer, value-result
  kIntPtr,       // int pointer (wait4 status, pipe fds are kArray of int); `param` names its notation
  kLongPtr,      // pointer to a long (8 bytes), shown in the notation `param` names
  kIovec,        // struct iovec array, `len` elements; their bytes bounded by the return value at exit
  kMsghdr,       // struct user_msghdr with its name and iovecs
  kStringArray,  // argv: NULL-terminated array of strings
  kEnvArray,     // envp: counted, strings copied only when asked (-v)
  kSigset,       // sigset_t of `len` bytes
  kFdSet,        // fd_set of `len` bits (select's nfds)
  kDirents,      // getdents64's linux_dirent64 records, `len` bytes; counted whole even when the copy is cut
};

enum class Direction : uint8_t {
  kIn,     // copied at enter
  kOut,    // copied at exit, when the call succeeded
  kInOut,  // both
};

// Where a length or element count comes from.
struct LengthSource {
  enum class From : uint8_t {
    kNone,       // fixed: the type's size
    kArg,        // the register argument `arg`
    kReturn,     // the return value (outputs only)
    kArgDeref,   // the int that argument `arg` points at (socklen_t value-result)
    kCount,      // exactly `count` elements (pipe's two fds, utimensat's two times)
  };
  From from = From::kNone;
  uint8_t arg = 0;
  uint8_t count = 0;
};

// Where an argument no register holds lives: on the user stack at the
// call's entry, at the stack pointer plus `bias` plus the offset of
// `member` in the kernel's BTF, a path of member names from a struct
// ("rt_sigframe.uc.uc_sigmask": the mask a sigreturn restores).
struct StackLocation {
  int32_t bias = 0;
  std::string member;
};

struct ArgSemantics {
  ArgKind kind = ArgKind::kHex;
  Direction direction = Direction::kIn;
  LengthSource length;
  // Flag/enum set name, BTF struct name ("stat", "__kernel_timespec"), or
  // for int_at/long_at the notation of the value pointed at: int, uint,
  // hex, ptr, sig, or a set name.
  std::string param;
  std::optional<StackLocation> stack;  // an input read from the stack, not from the register at its position
};

enum class ReturnKind : uint8_t {
  kInt,       // decimal (the default)
  kFd,        // a new descriptor
  kAddress,   // hex
  kHex,       // hex, not an address
  kNone,      // the call does not return (exit, exit_group)
  kPid,       // a process id: the call wrote its outputs only when it is positive (wait4's 0 under WNOHANG)
};

// What a call does to its process's descriptor table (etrace-decode -y
// follows it). kNone for a call that returns a descriptor means one of a
// kind not followed.
enum class FdEffect : uint8_t {
  kNone,
  kOpen, kOpenat, kOpenat2, kCreat, kMemfd,  // a path
  kSocket, kSocketpair, kAccept, kAccept4, kBind, kConnect, kGetsockname, kGetpeername,
  kDup, kDup2, kDup3, kFcntl, kClose, kCloseRange,
  kPipe, kPipe2,
  kAnonymous,  // an anonymous inode (eventfd, epoll...)
  kSignalfd, kSignalfd4,
  kChdir, kFchdir,
  kUnshare, kClone, kClone3,  // whether the process, or its next child, shares the table
};

struct SyscallSemantics {
  std::string name;
  uint32_t classes = 0;  // TraceClass bits
  std::vector<ArgSemantics> args;  // by position; fewer than the format file's means "the rest are kHex"
  ReturnKind ret = ReturnKind::kInt;
  FdEffect fds = FdEffect::kNone;
};

// nullptr when the table does not know the syscall: it is then traced and
// shown from its format file alone.
const SyscallSemantics* find_semantics(std::string_view name);

// All entries, in table order.
const std::vector<SyscallSemantics>& all_semantics();

// One argument token, "KIND[_in|_out|_inout][:PARAM][:LENGTH]" (the
// command table's grammar shares it).
Result<ArgSemantics> parse_argument(const std::string& token);

// Parses table text (exposed for tests). Errors name the line.
struct SemanticsParseError {
  size_t line;
  std::string message;
};
std::vector<SyscallSemantics> parse_semantics(std::string_view text, std::vector<SemanticsParseError>& errors);

}  // namespace etrace::catalog
