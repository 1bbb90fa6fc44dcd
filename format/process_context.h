// A task's process context as a context record carries it (struct
// etrace_context in records.h and its payload items): the kernel side
// writes these records, etrace-capture's start-up snapshot writes them
// from /proc, and etrace-decode reads them back into this value.
#pragma once

#include <linux/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/records.h"

namespace etrace::format {

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
  std::array<uint32_t, ETRACE_NS_COUNT> ns{};  // inode numbers, by enum etrace_ns_index
};

// The bytes of a context record: the fixed part, then the exe item (when
// known) and the cgroup path's components, leaf first.
std::vector<uint8_t> encode_context_record(const ContextFacts& facts, uint64_t ts_ns, uint16_t cpu);

// "/a/b" from components leaf first ({"b", "a"}); "/" for none.
std::string cgroup_path_of(const std::vector<std::string>& leaf_first);

// "/a/b" for any spelling of that path ("a/b/", "//a/./b"); "/" for none.
std::string normalized_path(std::string_view path);

// Whether cgroup path `path` is `cgroup` or below it (both from the root).
bool cgroup_contains(std::string_view cgroup, std::string_view path);

// Namespace names as /proc/PID/ns/ names them, by enum etrace_ns_index.
inline constexpr std::array<const char*, ETRACE_NS_COUNT> kNamespaceNames = {"pid", "mnt", "net", "uts",
                                                                             "ipc", "user", "cgroup", "time"};

}  // namespace etrace::format
