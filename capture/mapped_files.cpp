#include "capture/mapped_files.h"

#include <sys/sysmacros.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>

namespace etrace::capture {

Result<std::vector<MappedFile>> mapped_files(uint32_t pid) {
  const std::string name = pid ? "/proc/" + std::to_string(pid) + "/maps" : "/proc/self/maps";
  std::ifstream in(name);
  if (!in)
    return Error{pid && errno == ENOENT ? "no process with pid " + std::to_string(pid)
                                        : "cannot read " + name + ": " + std::strerror(errno)};
  std::vector<MappedFile> out;
  std::string line;
  while (std::getline(in, line)) {
    // start-end perms offset major:minor inode path
    MappedFile m;
    unsigned major = 0, minor = 0;
    int path_at = 0;
    if (std::sscanf(line.c_str(), "%" SCNx64 "-%" SCNx64 " %*s %" SCNx64 " %x:%x %" SCNu64 " %n", &m.start, &m.end,
                    &m.offset, &major, &minor, &m.inode, &path_at) < 6 ||
        m.inode == 0 || path_at <= 0)
      continue;
    m.path = line.substr(static_cast<size_t>(path_at));
    if (m.path.empty() || m.path[0] != '/') continue;
    // A file deleted or replaced since it was mapped: its old inode is what runs.
    if (m.path.size() > 10 && m.path.ends_with(" (deleted)")) continue;
    m.device = makedev(major, minor);
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::string> distinct_paths(const std::vector<MappedFile>& maps) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& m : maps)
    if (seen.insert(m.path).second) out.push_back(m.path);
  return out;
}

std::string path_in(uint32_t pid, const std::string& path) {
  return pid ? "/proc/" + std::to_string(pid) + "/root" + path : path;
}

}  // namespace etrace::capture
