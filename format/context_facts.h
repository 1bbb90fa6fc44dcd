// A task's process context as a context record carries it: the kernel side
// writes these records, etrace-capture's start-up snapshot writes them from
// /proc, and etrace-decode reads them back into this value. A value only:
// it names no record layout, so renderers can show it without seeing
// format/records.h (format/process_context.h checks that the two agree).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace etrace::format {

// Namespaces a context carries (ETRACE_NS_COUNT).
inline constexpr size_t kNamespaceCount = 8;

struct ContextFacts {
  uint32_t pid = 0;  // tgid
  uint32_t tid = 0;
  uint32_t ppid = 0;
  uint32_t reason = 0;  // enum etrace_context_reason
  std::string comm;
  std::optional<std::string> exe;  // only where the record carries it (exec, snapshot)
  uint32_t uid = 0, gid = 0, suid = 0, sgid = 0, euid = 0, egid = 0, fsuid = 0, fsgid = 0;
  uint64_t cap_effective = 0;
  uint64_t cgroup_id = 0;
  // From the cgroup v2 root: "/" for the root itself, "/system.slice/x.service";
  // nullopt when the record carries no path.
  std::optional<std::string> cgroup_path;
  bool cgroup_path_cut = false;  // the path's top ancestors were left out (deeper than the kernel side walks)
  std::array<uint32_t, kNamespaceCount> ns{};  // inode numbers, by enum etrace_ns_index
};

// Namespace names as /proc/PID/ns/ names them, by enum etrace_ns_index.
inline constexpr std::array<const char*, kNamespaceCount> kNamespaceNames = {"pid", "mnt", "net", "uts",
                                                                             "ipc", "user", "cgroup", "time"};

}  // namespace etrace::format
