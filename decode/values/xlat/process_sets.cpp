// Processes: clone, wait, futex, prctl, resource limits, scheduling.
#include <linux/futex.h>
#include <linux/sched.h>

#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/custom_sets.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode::xlat {

// clone's low byte is the signal sent to the parent when the child exits:
// "CLONE_VM|CLONE_FS|SIGCHLD".
std::string clone_text(int64_t value) {
  const auto bits = static_cast<uint64_t>(value);
  const uint64_t flags = bits & ~static_cast<uint64_t>(CSIGNAL);
  const uint64_t exit_signal = bits & CSIGNAL;
  std::string out;
  if (flags != 0) out = flags_string(constants("clone"), flags, "CLONE_???");
  if (exit_signal != 0) {
    if (!out.empty()) out += '|';
    out += signal_text(static_cast<int64_t>(exit_signal));
  }
  return out.empty() ? "0" : out;
}

// A futex command with FUTEX_PRIVATE_FLAG is named with a _PRIVATE suffix;
// FUTEX_CLOCK_REALTIME follows as a flag. An unknown command is shown whole.
std::string futex_op_text(int64_t value) {
  const auto op = static_cast<uint32_t>(value);
  auto command = name_of(constants("futex_cmd"), op & FUTEX_CMD_MASK);
  if (!command) return unknown_value(op, "FUTEX_???");
  std::string out(*command);
  if (op & FUTEX_PRIVATE_FLAG) out += "_PRIVATE";
  if (op & FUTEX_CLOCK_REALTIME) out += "|FUTEX_CLOCK_REALTIME";
  return out;
}

}  // namespace etrace::decode::xlat
