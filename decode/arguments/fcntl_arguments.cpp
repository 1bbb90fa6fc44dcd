#include "decode/arguments/fcntl_arguments.h"

#include <fcntl.h>

#include "decode/values/xlat/xlat.h"

namespace etrace::decode {

// Symbolic whatever the command, as the argument's JSON has one shape: a
// plain number's text is the number, in hex where strace shows hex.
Value fcntl_argument(uint64_t cmd, uint64_t arg) {
  const auto as_int = static_cast<int64_t>(static_cast<int32_t>(arg));
  const auto raw = static_cast<int64_t>(arg);
  switch (cmd) {
    case F_SETFD: return Symbolic{raw, xlat::flags_text("fd_flags", arg)};
    // The kernel ignores the access mode here, but strace names it anyway.
    case F_SETFL: return Symbolic{raw, xlat::flags_text("open", arg)};
    case F_SETSIG: return Symbolic{raw, xlat::signal_text(as_int)};
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
    case F_SETOWN:
    case F_SETLEASE:
    case F_NOTIFY:
    case F_SETPIPE_SZ:
    case F_ADD_SEALS:
      return Symbolic{raw, std::to_string(as_int)};
    default: return Symbolic{raw, arg ? hex_string(arg) : "0"};
  }
}

void annotate_fcntl_return(uint64_t cmd, ReturnValue& ret) {
  if (ret.error) return;
  const auto v = static_cast<uint64_t>(ret.raw);
  std::string_view set;
  if (cmd == F_GETFD) {
    if (v == 0) return;  // strace: "= 0", no flags
    set = "fd_flags";
  } else if (cmd == F_GETFL) {
    set = "open";
  } else {
    return;
  }
  ret.hex = true;
  Aggregate a;
  a.fields.push_back({"flags", Symbolic{ret.raw, xlat::flags_text(set, v)}});
  ret.annotation = std::move(a);
}

}  // namespace etrace::decode
