// Reading strace-style text into one sequence of whole call lines per
// thread. Both tracers' outputs go through here: strace's `-f -o FILE`
// lines ("1234  read(...)"), and etrace-decode's ("[pid 1234] read(...)", or
// no prefix before a second thread appears).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace etrace::conformance {

struct ThreadLines {
  // Call and signal lines per thread id, in the order the thread met them.
  std::map<long, std::vector<std::string>> threads;
};

// Splits `text` by thread. Lines without a pid prefix belong to
// `unprefixed_tid`. Calls split into "<unfinished ...>" and "<... resumed>"
// halves are joined back into one line; "+++ exited ... +++" lines are
// dropped; the spaces strace pads before " = " to align results are
// collapsed to one. A call never resumed ends its thread's lines as it
// was left: "name(args <unfinished ...>".
ThreadLines split_by_thread(const std::string& text, long unprefixed_tid);

// The call's name: "openat" for "openat(AT_FDCWD, ...) = 3"; a signal
// line's "--- SIGCHLD" for "--- SIGCHLD {si_signo=SIGCHLD, ...} ---".
std::string call_name(const std::string& line);

}  // namespace etrace::conformance
