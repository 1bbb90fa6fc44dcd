#include "capture/privileges.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

namespace etrace::capture {

Capabilities Capabilities::of_this_process() {
  Capabilities c;
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &header, data) == 0)
    c.effective = static_cast<uint64_t>(data[1].effective) << 32 | data[0].effective;
  std::ifstream("/proc/sys/kernel/cap_last_cap") >> c.last_cap;
  return c;
}

Result<void> can_trace(const Capabilities& caps) {
  if (caps.has(CAP_SYS_ADMIN)) return {};
  if (caps.last_cap < CAP_BPF)
    return Error{"missing CAP_SYS_ADMIN: loading BPF programs needs it on this kernel, which has no CAP_BPF and "
                 "CAP_PERFMON (Linux 5.8 brought them); run it as root"};
  std::string missing;
  for (auto [cap, name] : {std::pair{CAP_BPF, "CAP_BPF"}, std::pair{CAP_PERFMON, "CAP_PERFMON"}})
    if (!caps.has(cap)) missing += (missing.empty() ? "" : " and ") + std::string(name);
  if (missing.empty()) return {};
  return Error{"missing " + missing + ": loading and attaching its BPF programs needs CAP_BPF and CAP_PERFMON (run " +
               "it as root, or give it both: README, Privileges)"};
}

Result<void> can_read_tracefs(const std::string& root, const Capabilities& caps) {
  // Opened for real, with this process's effective ids and capabilities
  // (access() would judge by the real uid).
  const std::string events = root + "/events/syscalls";
  const int fd = open(events.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    close(fd);
    return {};
  }
  const int err = errno;
  std::string m = "cannot read the syscall events of tracefs (" + events + "): " + std::strerror(err);
  if ((err == EACCES || err == EPERM) && geteuid() != 0 && !caps.has(CAP_DAC_READ_SEARCH))
    m += "; a user other than root needs CAP_DAC_READ_SEARCH to read tracefs";
  return Error{m};
}

}  // namespace etrace::capture
