// The start-up snapshot: the context of every already-running task the
// capture targets, read from /proc, as context records (format/
// process_context.h) written ahead of the kernel's. Tasks that start later
// are recorded by the kernel side when first seen.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/process_context.h"

namespace etrace::capture {

struct SnapshotTargets {
  bool all = false;                  // no pid or command name given: every process but `self`
  std::vector<uint32_t> tgids;
  std::vector<std::string> comms;    // as the kernel keeps them (15 bytes)
  std::vector<std::string> cgroups;  // --cgroup: only tasks in these (paths from the root), when any
  uint32_t self = 0;
};

// The context of thread `tid` of process `tgid`, from /proc; false when it
// is gone. `cgroup_root` is where cgroup v2 is mounted (for cgroup ids).
bool read_context(uint32_t tgid, uint32_t tid, const std::string& cgroup_root, format::ContextFacts& out);

// Context records (ETRACE_CTX_SNAPSHOT) of every thread of the targets.
std::vector<std::vector<uint8_t>> snapshot_contexts(const SnapshotTargets& targets, const std::string& cgroup_root,
                                                    uint64_t ts_ns);

}  // namespace etrace::capture
