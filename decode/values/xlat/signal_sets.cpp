// Signals: names, signal sets, sigaction flags, wait statuses.
#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode::xlat {
namespace {

// The kernel's realtime range, 32..64 on x86-64; its SIGRTMIN is not the C
// library's, which keeps the first few for itself.
int64_t realtime_signal(std::string_view which) { return value_of(constants("realtime_signals"), which).value_or(0); }

// A set's members are named without "SIG": "INT", "RTMIN", "RT_1".
std::string member_name(int signo) {
  std::string name = signal_text(signo);
  return name.starts_with("SIG") ? name.substr(3) : name;
}

std::string members_text(std::string_view bytes, bool wanted) {
  std::string out = "[";
  for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
    const bool set = (static_cast<uint8_t>(bytes[bit / 8]) >> (bit % 8)) & 1;
    if (set != wanted) continue;
    if (out.size() > 1) out += ' ';
    out += member_name(static_cast<int>(bit) + 1);
  }
  return out + "]";
}

}  // namespace

std::string signal_text(int64_t signo) {
  static const int64_t first_realtime = realtime_signal("SIGRTMIN");
  static const int64_t last_realtime = realtime_signal("SIGRTMAX");
  if (signo > 0 && signo < first_realtime)
    if (auto name = name_of(constants("signal"), signo)) return std::string(*name);
  if (signo == first_realtime) return "SIGRTMIN";
  if (signo > first_realtime && signo <= last_realtime) return "SIGRT_" + std::to_string(signo - first_realtime);
  return std::to_string(signo);
}

// Like strace, a set with more than half of its signals is shown as the
// complement of the few it lacks: "~[RTMIN RT_1]".
std::string sigset_text(std::string_view bytes) {
  size_t members = 0;
  for (char byte : bytes) members += static_cast<size_t>(__builtin_popcount(static_cast<uint8_t>(byte)));
  if (members * 2 > bytes.size() * 8) return "~" + members_text(bytes, false);
  return members_text(bytes, true);
}

std::string wait_status_text(int32_t status) {
  const auto s = static_cast<uint32_t>(status);
  const uint32_t low = s & 0x7f;
  std::string out;
  if (low == 0) {
    out = "{WIFEXITED(s) && WEXITSTATUS(s) == " + std::to_string((s >> 8) & 0xff) + "}";
  } else if ((s & 0xff) == 0x7f) {
    // A tracee's stop: PTRACE_O_TRACESYSGOOD's 0x80 on the signal, a ptrace
    // event in the upper half.
    const uint32_t sig = (s >> 8) & 0xff;
    out = "{WIFSTOPPED(s) && WSTOPSIG(s) == " + signal_text(sig & 0x7f) + ((sig & 0x80) ? " | 0x80}" : "}");
    if (s >> 16) out += "|" + enum_text("ptrace_event", s >> 16) + "<<16";
  } else if (s == 0xffff) {
    out = "{WIFCONTINUED(s)}";
  } else {
    out = "{WIFSIGNALED(s) && WTERMSIG(s) == " + signal_text(low) + ((s & 0x80) ? " && WCOREDUMP(s)}" : "}");
  }
  return "[" + out + "]";
}

}  // namespace etrace::decode::xlat
