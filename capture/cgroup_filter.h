// --cgroup and --container: the cgroup v2 directories whose tasks (and
// their descendants' tasks) are traced, as the kernel side filters them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace etrace::capture {

// Where the cgroup v2 hierarchy is mounted ("/sys/fs/cgroup"), from
// /proc/self/mountinfo; nullopt when it is not.
std::optional<std::string> cgroup2_root();

// A cgroup to trace: its path from the hierarchy's root ("/system.slice")
// and its directory.
struct CgroupTarget {
  std::string path;
  std::string dir;
};

// --cgroup PATH: a directory under `root` ("/sys/fs/cgroup/a/b") or a path
// from the root ("/a/b", "a/b").
Result<CgroupTarget> resolve_cgroup(const std::string& root, const std::string& arg);

// --container ID: the cgroup whose directory name carries a container id
// starting with `id` (12 to 64 hex digits), searched under `root`.
Result<CgroupTarget> resolve_container(const std::string& root, const std::string& id);

}  // namespace etrace::capture
