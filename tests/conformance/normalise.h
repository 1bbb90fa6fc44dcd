// Normalising what legitimately differs between two runs of the same
// program, so that strace's and etrace's lines can be compared exactly:
// process ids, and the few values that change from run to run.
#pragma once

#include <string>
#include <vector>

#include "tests/conformance/trace_text.h"

namespace etrace::conformance {

// The kernel's range of ephemeral ports (/proc/sys/net/ipv4/ip_local_port_range).
struct PortRange {
  long low = 32768;
  long high = 60999;
};

// Threads in a canonical order with their lines normalised.
struct NormalisedTrace {
  // threads[k] is thread P(k+1): thread ids are handed out in increasing
  // order, so ranking them numerically pairs the threads of two runs of a
  // deterministic program.
  std::vector<std::vector<std::string>> threads;
};

// Replaces each line's run-dependent values (normalise_volatile), then
// every traced thread id in it with "P1", "P2"... by rank; a process id
// that getppid() returns from outside the trace (the tracer's own) becomes
// "P0".
NormalisedTrace normalise(const ThreadLines& trace, const PortRange& ports);

// One line's run-dependent values (no pids): random bytes, clock readings,
// resource counters, ephemeral ports.
std::string normalise_volatile(const std::string& line, const PortRange& ports);

// Reads the range from /proc; the kernel's default when it cannot.
PortRange ephemeral_ports();

}  // namespace etrace::conformance
