// strace's layouts of the process and signal structs: sigaction, siginfo, rlimit,
// rusage, new_utsname, sysinfo, sched_param, clone_args.
#include <linux/sched.h>

#include <string>

#include "decode/values/siginfo_view.h"
#include "decode/values/struct_view_kit.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode::views {
namespace {

// SA_RESTORER from the x86 <asm/signal.h>, which glibc's headers hide and
// which cannot be included beside them.
constexpr uint64_t kSaRestorer = 0x04000000;

Value as_handler(const StructReader& r, std::string_view member) {
  const uint64_t v = r.uint(member);
  const auto raw = static_cast<int64_t>(v);
  // A handler's address is a value like the names: one JSON shape for all.
  if (v == 0) return Symbolic{raw, "SIG_DFL", true};
  if (v == 1) return Symbolic{raw, "SIG_IGN", true};
  if (v == ~uint64_t{0}) return Symbolic{raw, "SIG_ERR", true};
  return Symbolic{raw, hex_string(v), true};
}

Value as_sigset(const StructReader& r, std::string_view member) {
  const std::string_view raw = *r.raw(member);
  return Symbolic{static_cast<int64_t>(r.uint(member)), xlat::sigset_text(raw), true};
}

// strace's resource limits: "RLIM64_INFINITY", multiples of 1024 above it
// as "8192*1024", anything else in decimal.
Value as_rlim(const StructReader& r, std::string_view member) {
  const uint64_t v = r.uint(member);
  const auto raw = static_cast<int64_t>(v);
  if (v == ~uint64_t{0}) return Symbolic{raw, "RLIM64_INFINITY", true};
  if (v > 1024 && v % 1024 == 0) return Symbolic{raw, std::to_string(v / 1024) + "*1024", true};
  return Symbolic{raw, std::to_string(v), true};
}

}  // namespace

Value view_sigaction(const StructReader& r) {
  ViewBuilder b(r);
  b.field("sa_handler", as_handler).field("sa_mask", as_sigset).field("sa_flags", as_flags("sa"));
  if (r.uint("sa_flags") & kSaRestorer) b.field("sa_restorer", as_pointer);
  return b.done();
}

// Its members are a union that si_code selects: laid out by code, not by BTF.
Value view_siginfo(const StructReader& r) { return siginfo_value(r.bytes()); }

Value view_rlimit(const StructReader& r) {
  ViewBuilder b(r);
  b.field("rlim_cur", as_rlim).field("rlim_max", as_rlim);
  return b.done();
}

Value view_rusage(const StructReader& r) {
  ViewBuilder b(r);
  b.field("ru_utime").field("ru_stime");
  for (std::string_view m : {"ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt", "ru_nswap",
                             "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw",
                             "ru_nivcsw"}) {
    b.verbose_field(m);
  }
  return b.done();
}

Value view_utsname(const StructReader& r) {
  ViewBuilder b(r);
  b.field("sysname").field("nodename");
  for (std::string_view m : {"release", "version", "machine", "domainname"}) b.verbose_field(m);
  return b.done();
}

Value view_sysinfo(const StructReader& r) {
  ViewBuilder b(r);
  for (std::string_view m : {"uptime", "loads", "totalram", "freeram", "sharedram", "bufferram", "totalswap",
                             "freeswap", "procs", "totalhigh", "freehigh", "mem_unit"}) {
    b.field(m);
  }
  return b.done();
}

// strace writes the one member of sched_param as an array: "[0]".
Value view_sched_param(const StructReader& r) {
  List out;
  if (r.present("sched_priority")) {
    out.items.push_back(r.generic("sched_priority"));
  } else {
    out.more = true;
  }
  return out;
}

// clone3's arguments: the pointers that only some flags use are shown with
// those flags, like strace.
Value view_clone_args(const StructReader& r) {
  const uint64_t flags = r.uint("flags");
  ViewBuilder b(r);
  b.field("flags", as_flags("clone"));
  if (flags & CLONE_PIDFD) b.field("pidfd", as_pointer);
  if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) b.field("child_tid", as_pointer);
  if (flags & CLONE_PARENT_SETTID) b.field("parent_tid", as_pointer);
  b.field("exit_signal", as_signal).field("stack", as_pointer);
  // strace's %#llx: a size in hex, zero as "0".
  b.field("stack_size", [](const StructReader& s, std::string_view m) -> Value { return RawHex{s.uint(m)}; });
  if (flags & CLONE_SETTLS) b.field("tls", as_pointer);
  if (r.uint("set_tid_size") != 0) b.field("set_tid", as_pointer).field("set_tid_size");
  if (flags & CLONE_INTO_CGROUP) b.field("cgroup");
  return b.done();
}

}  // namespace etrace::decode::views
