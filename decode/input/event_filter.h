// Which calls and process events to show (--pid, --comm, --syscall, --uid,
// --cgroup, --container). An empty set does not filter. The syscall filter
// applies to syscalls only: library calls, process events and signals are
// always shown for the selected processes (strace shows signals whatever
// calls -e trace= selects). The context filters need the event's
// context: an event without one (a capture made before format 1.2) never
// matches them.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "decode/input/call_pairing.h"

namespace etrace::decode {

struct EventFilter {
  std::set<uint32_t> pids;  // tgids
  std::set<std::string> comms;
  std::set<uint16_t> syscalls;
  std::set<uint32_t> uids;              // real or effective uid
  std::vector<std::string> cgroups;     // paths from the cgroup v2 root: the cgroup or below
  std::vector<std::string> containers;  // container ids or prefixes of them

  // On paired events, before decoding: what is filtered out is never decoded.
  bool accepts(const Call& call) const;
  bool accepts(const ProcessEvent& event) const;
  bool accepts(const SignalEvent& event) const;

 private:
  bool accepts_task(uint32_t pid, const std::optional<std::string>& comm, const ContextRef& context) const;
  bool accepts_context(const ContextRef& context) const;
};

// A --cgroup argument as a path from the root: "/sys/fs/cgroup/a/" is "/a"
// (and "/sys/fs/cgroup/unified/a" where cgroup v2 sits beside v1).
std::string cgroup_filter_path(const std::string& arg);

}  // namespace etrace::decode
