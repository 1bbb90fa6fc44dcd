#include "capture/cgroup_filter.h"

#include <sys/vfs.h>
#include <linux/magic.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "catalog/container_id.h"
#include "format/process_context.h"

namespace etrace::capture {

namespace fs = std::filesystem;

std::optional<std::string> cgroup2_root() {
  // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - FSTYPE SOURCE SUPEROPTIONS
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, mountpoint, word;
    fields >> id >> parent >> dev >> root >> mountpoint;
    while (fields >> word && word != "-") {
    }
    if (fields >> word && word == "cgroup2" && root == "/") return mountpoint;
  }
  return std::nullopt;
}

namespace {

bool is_cgroup2_dir(const std::string& dir) {
  struct statfs st {};
  return statfs(dir.c_str(), &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC && fs::is_directory(dir);
}

CgroupTarget target_at(const std::string& root, const std::string& path) {
  return {path, path == "/" ? root : root + path};
}

}  // namespace

Result<CgroupTarget> resolve_cgroup(const std::string& root, const std::string& arg) {
  std::string path = format::normalized_path(arg);
  const std::string under = format::normalized_path(root);
  if (path == under) path = "/";
  else if (path.rfind(under + "/", 0) == 0) path = path.substr(under.size());
  const CgroupTarget t = target_at(root, path);
  if (!is_cgroup2_dir(t.dir)) return Error{"--cgroup " + arg + ": " + t.dir + " is not a cgroup v2 directory"};
  return t;
}

Result<CgroupTarget> resolve_container(const std::string& root, const std::string& id) {
  const auto given = catalog::container_id_prefix(id);
  if (!given) return Error{"--container " + id + ": a container id is 12 to 64 hex digits (a prefix of its full id)"};
  const std::string& prefix = *given;
  // Every directory whose own name carries a matching id; the shallowest for each id.
  std::map<std::string, std::string> found;  // full id -> path from the root
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (!it->is_directory(ec) || it->is_symlink(ec)) continue;
    auto full = catalog::container_id_in_name(it->path().filename().string());
    if (!full || full->rfind(prefix, 0) != 0) continue;
    const std::string path = it->path().string().substr(root.size());
    auto [at, inserted] = found.emplace(*full, path);
    if (!inserted && path.size() < at->second.size()) at->second = path;
  }
  if (found.empty())
    return Error{"--container " + id + ": no cgroup under " + root +
                 " carries that container id (looked for docker-ID.scope, cri-containerd-ID.scope, crio-ID.scope, "
                 "libpod-ID.scope and directories named ID)"};
  if (found.size() > 1)
    return Error{"--container " + id + ": the prefix matches " + std::to_string(found.size()) +
                 " containers; give more of the id"};
  return target_at(root, format::normalized_path(found.begin()->second));
}

}  // namespace etrace::capture
