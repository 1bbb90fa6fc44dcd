#include "decode/values/siginfo_view.h"

#include <signal.h>

#include <cstring>

#include "decode/values/errno_names.h"
#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode {
namespace {

// Member offsets in x86-64 siginfo_t: si_signo, si_errno, si_code, then
// the union that si_code selects, 8-aligned.
constexpr size_t kSigno = 0, kErrno = 4, kCode = 8;
constexpr size_t kPid = 16, kUid = 20, kValue = 24;           // kill, rt, SIGCHLD
constexpr size_t kTimerId = 16, kOverrun = 20;                // timers, then kValue
constexpr size_t kStatus = 24, kUtime = 32, kStime = 40;      // SIGCHLD
constexpr size_t kAddr = 16;                                  // faults
constexpr size_t kBand = 16, kFd = 24;                        // SIGPOLL
constexpr size_t kCallAddr = 16, kSyscall = 24, kArch = 28;  // SIGSYS

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool has(size_t at, size_t size) const { return at + size <= bytes_.size(); }
  template <typename T>
  T at(size_t offset) const {
    T v{};
    if (has(offset, sizeof(T))) std::memcpy(&v, bytes_.data() + offset, sizeof(T));
    return v;
  }

 private:
  std::string_view bytes_;
};

// The set of codes that signal `signo` has of its own.
std::string_view own_codes(int signo) {
  switch (signo) {
    case SIGILL: return "sigill_code";
    case SIGFPE: return "sigfpe_code";
    case SIGSEGV: return "sigsegv_code";
    case SIGBUS: return "sigbus_code";
    case SIGTRAP: return "sigtrap_code";
    case SIGCHLD: return "sigchld_code";
    case SIGPOLL: return "sigpoll_code";
    case SIGSYS: return "sigsys_code";
    default: return {};
  }
}

Value code_value(int signo, int code) {
  auto name = xlat::name_of(xlat::constants("si_code"), code);
  if (!name && !own_codes(signo).empty()) name = xlat::name_of(xlat::constants(own_codes(signo)), code);
  // Symbolic whether named or not: one JSON type for the member.
  return Symbolic{code, name ? std::string(*name) : std::to_string(code), false, 32};
}

class Builder {
 public:
  explicit Builder(const Reader& r) : r_(r) {}

  // A member at `offset` of type T, when the copy holds it.
  template <typename T>
  Builder& number(const char* name, size_t offset) {
    if (!r_.has(offset, sizeof(T))) return elided();
    const T v = r_.at<T>(offset);
    // At the member's own width: JSON shows 32-bit members as numbers.
    constexpr uint8_t bits = sizeof(T) * 8;
    if constexpr (std::is_signed_v<T>) add(name, SignedInt{v, bits});
    else add(name, UnsignedInt{v, bits});
    return *this;
  }
  Builder& pointer(const char* name, size_t offset) {
    if (!r_.has(offset, 8)) return elided();
    add(name, Pointer{r_.at<uint64_t>(offset)});
    return *this;
  }
  Builder& add(const char* name, Value v) {
    out_.fields.push_back({name, std::move(v)});
    return *this;
  }
  Builder& elided() {
    out_.elided = true;
    return *this;
  }
  // Who sent it: a process's pid and uid.
  Builder& source() { return number<uint32_t>("si_pid", kPid).number<uint32_t>("si_uid", kUid); }
  // The value sigqueue or a timer carries.
  Builder& sigval() { return number<int32_t>("si_int", kValue).pointer("si_ptr", kValue); }
  Aggregate done() { return std::move(out_); }

 private:
  const Reader& r_;
  Aggregate out_;
};

// Codes of signals a process sent (kill, sigqueue, tkill, a timer it set):
// SI_FROMUSER in the kernel's terms.
void user_sent(Builder& b, const Reader& r, int code) {
  switch (code) {
    case SI_USER:
    case SI_TKILL: b.source(); return;
    case SI_TIMER:
      b.add("si_timerid", RawHex{r.at<uint32_t>(kTimerId)}).number<int32_t>("si_overrun", kOverrun).sigval();
      return;
    default:
      b.source();
      if (r.at<uint64_t>(kValue) != 0) b.sigval();
  }
}

void kernel_sent(Builder& b, const Reader& r, int signo,
                 const std::function<std::optional<std::string>(int)>& syscall_name) {
  switch (signo) {
    case SIGCHLD: {
      b.source();
      // An exit code, or the signal that ended it: one JSON type either way.
      if (!r.has(kStatus, sizeof(int32_t))) {
        b.elided();
      } else {
        const int32_t status = r.at<int32_t>(kStatus);
        const bool exited = r.at<int32_t>(kCode) == CLD_EXITED;
        b.add("si_status", Symbolic{status, exited ? std::to_string(status) : xlat::signal_text(status), false, 32});
      }
      b.number<uint64_t>("si_utime", kUtime).number<uint64_t>("si_stime", kStime);
      return;
    }
    case SIGILL:
    case SIGFPE:
    case SIGSEGV:
    case SIGBUS: b.pointer("si_addr", kAddr); return;
    case SIGPOLL: b.number<int64_t>("si_band", kBand).number<int32_t>("si_fd", kFd); return;
    case SIGSYS: {
      b.pointer("si_call_addr", kCallAddr);
      const int nr = r.at<int32_t>(kSyscall);
      const auto name = syscall_name ? syscall_name(nr) : std::nullopt;
      if (name) b.add("si_syscall", Symbolic{nr, "__NR_" + *name, false, 32});
      else b.number<int32_t>("si_syscall", kSyscall);
      const uint32_t arch = r.at<uint32_t>(kArch);
      b.add("si_arch", Symbolic{arch, xlat::enum_text("audit_arch", arch), true, 32});
      return;
    }
    default:
      if (r.at<uint64_t>(kPid) != 0) b.source();
      if (r.at<uint64_t>(kValue) != 0) b.sigval();
  }
}

}  // namespace

Aggregate siginfo_value(std::string_view bytes, const std::function<std::optional<std::string>(int)>& syscall_name) {
  const Reader r(bytes);
  Builder b(r);
  if (!r.has(kCode, 4)) return b.elided().done();
  const int signo = r.at<int32_t>(kSigno);
  const int code = r.at<int32_t>(kCode);
  b.add("si_signo", Symbolic{signo, xlat::signal_text(signo), false, 32});
  b.add("si_code", code_value(signo, code));
  if (const int err = r.at<int32_t>(kErrno); err != 0) {
    const auto name = errno_name(err);
    b.add("si_errno", Symbolic{err, name ? std::string(*name) : std::to_string(err), false, 32});
  }
  if (code <= 0) user_sent(b, r, code);
  else kernel_sent(b, r, signo, syscall_name);
  return b.done();
}

}  // namespace etrace::decode
