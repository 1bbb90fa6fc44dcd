#include "capture/descriptor_snapshot.h"

#include <unistd.h>
#include <linux/limits.h>
#include <linux/types.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>

#include "capture/proc_entries.h"
#include "format/records.h"

namespace etrace::capture {
namespace {

std::optional<std::string> link_target(const std::string& link) {
  char buf[PATH_MAX];
  const ssize_t n = readlink(link.c_str(), buf, sizeof buf);
  if (n < 0) return std::nullopt;
  return std::string(buf, static_cast<size_t>(n));
}

// The "flags:" line of /proc/PID/fdinfo/FD, in octal.
uint32_t open_flags(const std::string& fdinfo) {
  std::ifstream in(fdinfo);
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("flags:")) return static_cast<uint32_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
  return 0;
}

std::string comm_of(uint32_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string comm;
  std::getline(in, comm);
  return comm;
}

void emit(uint32_t tgid, int32_t fd, uint32_t flags, const std::string& target, uint64_t ts_ns,
          const std::function<void(std::span<const uint8_t>)>& sink) {
  etrace_fd_record r{};
  const size_t size = (sizeof(r) + target.size() + 1 + 7) & ~size_t{7};  // NUL-terminated, padded to 8
  r.h.type = ETRACE_REC_FD;
  r.h.size = static_cast<__u16>(size);
  r.h.cpu = ETRACE_NR_UNKNOWN;  // written by user space, on no particular CPU
  r.h.nr = ETRACE_NR_UNKNOWN;
  r.h.ts_ns = ts_ns;
  r.h.tgid = tgid;
  r.h.tid = tgid;
  r.fd = fd;
  r.flags = flags;
  std::vector<uint8_t> bytes(size, 0);
  std::memcpy(bytes.data(), &r, sizeof(r));
  std::memcpy(bytes.data() + sizeof(r), target.data(), target.size());
  sink(bytes);
}

}  // namespace

std::vector<uint32_t> snapshot_processes(const std::vector<uint32_t>& tgids, const std::vector<std::string>& comms,
                                         bool whole_system) {
  std::vector<uint32_t> out = tgids;
  if (whole_system || !comms.empty()) {
    const auto self = static_cast<uint32_t>(getpid());
    for (uint32_t pid : numeric_entries("/proc")) {
      if (pid == self) continue;
      if (whole_system || std::find(comms.begin(), comms.end(), comm_of(pid)) != comms.end()) out.push_back(pid);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void snapshot_descriptors(const std::vector<uint32_t>& tgids, uint64_t ts_ns,
                          const std::function<void(std::span<const uint8_t>)>& sink) {
  for (uint32_t tgid : tgids) {
    const std::string proc = "/proc/" + std::to_string(tgid);
    if (auto cwd = link_target(proc + "/cwd")) emit(tgid, ETRACE_FD_CWD, 0, *cwd, ts_ns, sink);
    for (uint32_t fd : numeric_entries(proc + "/fd")) {
      const std::string n = std::to_string(fd);
      // A descriptor closed since the directory was read is left out.
      if (auto target = link_target(proc + "/fd/" + n))
        emit(tgid, static_cast<int32_t>(fd), open_flags(proc + "/fdinfo/" + n), *target, ts_ns, sink);
    }
  }
}

}  // namespace etrace::capture
