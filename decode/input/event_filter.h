// Which calls and process events to show (--pid, --tid, --tree, --comm,
// --syscall, --uid, --cgroup, --container, --since, --until, -P, and by
// outcome: -e status=, -z, -Z, --errno). An empty set does not filter. The
// syscall filter applies to syscalls only: library calls, process events and
// signals are always shown for the selected processes (strace shows signals
// whatever calls -e trace= selects). The context filters need the event's
// context: an event without one (a capture made before format 1.2) never
// matches them.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "decode/input/call_pairing.h"

namespace etrace::decode {

// strace's -e status= sets.
enum class CallOutcome { kSuccessful, kFailed, kUnfinished };

struct EventFilter {
  std::set<uint32_t> pids;  // tgids
  std::set<uint32_t> tids;
  // --tree: these processes and every one they fork while the capture
  // watches (grown by follow()).
  std::set<uint32_t> trees;
  std::set<std::string> comms;
  std::set<uint16_t> syscalls;
  std::set<uint32_t> uids;              // real or effective uid
  std::vector<std::string> cgroups;     // paths from the cgroup v2 root: the cgroup or below
  std::vector<std::string> containers;  // container ids or prefixes of them
  // Syscalls by how they ended; library calls, which have no failure
  // convention, are left out when these are set.
  std::set<CallOutcome> outcomes;
  std::set<int> errnos;  // failed with one of these (implies failed)
  // Monotonic bounds: a call by its start (its end when its start was not
  // captured), a process event by its time.
  std::optional<uint64_t> since_ns, until_ns;
  // -P: calls whose path arguments, or descriptors, are one of these.
  // Known only once decoded (the pipeline asks accepts_paths()).
  std::set<std::string> paths;

  // On paired events, before decoding: what is filtered out is never decoded.
  bool accepts(const Call& call) const;
  bool accepts(const ProcessEvent& event) const;
  // Whether calls are chosen by how they end: their start is then not
  // shown until their end is known.
  bool by_outcome() const { return !outcomes.empty() || !errnos.empty(); }
  // A call's last event, when by_outcome(): `phase` is how it ended.
  bool accepts_outcome(CallPhase phase, const Call& call) const;
  // -P: whether a decoded call touched one of the paths.
  bool accepts_paths(const std::vector<std::string>& touched) const;
  // Every process event, shown or not: grows the --tree sets.
  void follow(const ProcessEvent& event);
  // Whether any filter is set.
  bool active() const;
  bool accepts(const SignalEvent& event) const;

 private:
  bool accepts_task(uint32_t pid, uint32_t tid, const std::optional<std::string>& comm,
                    const ContextRef& context) const;
  bool accepts_time(uint64_t ts_ns) const;
  bool accepts_context(const ContextRef& context) const;
};

// A --cgroup argument as a path from the root: "/sys/fs/cgroup/a/" is "/a"
// (and "/sys/fs/cgroup/unified/a" where cgroup v2 sits beside v1).
std::string cgroup_filter_path(const std::string& arg);

}  // namespace etrace::decode
