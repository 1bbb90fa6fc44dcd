#include "capture/context_snapshot.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "capture/proc_entries.h"

namespace etrace::capture {

namespace {

// The numbers after "Key:" in a /proc status file.
std::vector<uint64_t> status_numbers(const std::string& status, const std::string& key, int base = 10) {
  std::vector<uint64_t> out;
  const size_t at = status.find("\n" + key + ":");
  if (at == std::string::npos) return out;
  std::istringstream line(status.substr(at + key.size() + 2, status.find('\n', at + 1) - at - key.size() - 2));
  std::string word;
  while (line >> word) out.push_back(std::strtoull(word.c_str(), nullptr, base));
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

uint64_t inode_of(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// The cgroup v2 line of a cgroup file: "0::/user.slice/...".
std::optional<std::string> v2_cgroup(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  return std::nullopt;
}

bool wanted(const SnapshotTargets& t, const format::ContextFacts& f) {
  if (t.self == f.pid) return false;
  const bool named = t.all || std::find(t.tgids.begin(), t.tgids.end(), f.pid) != t.tgids.end() ||
                     std::find(t.comms.begin(), t.comms.end(), f.comm) != t.comms.end();
  if (!named) return false;
  if (t.cgroups.empty()) return true;
  return f.cgroup_path && std::any_of(t.cgroups.begin(), t.cgroups.end(),
                                      [&](const std::string& c) { return format::cgroup_contains(c, *f.cgroup_path); });
}

}  // namespace

bool read_context(uint32_t tgid, uint32_t tid, const std::string& cgroup_root, format::ContextFacts& f) {
  const std::string dir = "/proc/" + std::to_string(tgid) + "/task/" + std::to_string(tid);
  const std::string status = "\n" + slurp(dir + "/status");
  const auto uids = status_numbers(status, "Uid");
  const auto gids = status_numbers(status, "Gid");
  if (uids.size() != 4 || gids.size() != 4) return false;  // gone
  f = {};
  f.pid = tgid;
  f.tid = tid;
  f.reason = ETRACE_CTX_SNAPSHOT;
  auto ppid = status_numbers(status, "PPid");
  f.ppid = ppid.empty() ? 0 : static_cast<uint32_t>(ppid[0]);
  f.comm = slurp(dir + "/comm");
  if (!f.comm.empty() && f.comm.back() == '\n') f.comm.pop_back();
  // Status lists real, effective, saved, filesystem ids.
  f.uid = static_cast<uint32_t>(uids[0]), f.euid = static_cast<uint32_t>(uids[1]);
  f.suid = static_cast<uint32_t>(uids[2]), f.fsuid = static_cast<uint32_t>(uids[3]);
  f.gid = static_cast<uint32_t>(gids[0]), f.egid = static_cast<uint32_t>(gids[1]);
  f.sgid = static_cast<uint32_t>(gids[2]), f.fsgid = static_cast<uint32_t>(gids[3]);
  auto caps = status_numbers(status, "CapEff", 16);
  f.cap_effective = caps.empty() ? 0 : caps[0];
  char exe[PATH_MAX];
  const ssize_t n = readlink(("/proc/" + std::to_string(tgid) + "/exe").c_str(), exe, sizeof(exe));
  if (n > 0) f.exe = std::string(exe, static_cast<size_t>(n));  // kernel threads have none
  f.cgroup_path = v2_cgroup(slurp(dir + "/cgroup"));
  if (f.cgroup_path) f.cgroup_id = inode_of(cgroup_root + (*f.cgroup_path == "/" ? "" : *f.cgroup_path));
  for (size_t i = 0; i < f.ns.size(); ++i)
    f.ns[i] = static_cast<uint32_t>(inode_of(dir + "/ns/" + format::kNamespaceNames[i]));
  return true;
}

std::vector<std::vector<uint8_t>> snapshot_contexts(const SnapshotTargets& targets, const std::string& cgroup_root,
                                                    uint64_t ts_ns) {
  std::vector<std::vector<uint8_t>> out;
  const std::vector<uint32_t> tgids = targets.all || !targets.comms.empty() ? numeric_entries("/proc") : targets.tgids;
  for (uint32_t tgid : tgids)
    for (uint32_t tid : numeric_entries("/proc/" + std::to_string(tgid) + "/task")) {
      format::ContextFacts f;
      if (read_context(tgid, tid, cgroup_root, f) && wanted(targets, f))
        out.push_back(format::encode_context_record(f, ts_ns, ETRACE_CPU_USER));
    }
  return out;
}

}  // namespace etrace::capture
