#include "capture/tracefs.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace etrace::capture {

namespace {

constexpr long kTracefsMagic = 0x74726163;  // TRACEFS_MAGIC

bool is_tracefs(const std::string& path) {
  struct statfs st;
  return ::statfs(path.c_str(), &st) == 0 && st.f_type == kTracefsMagic;
}

}  // namespace

Result<Tracefs> Tracefs::open() {
  for (const char* path : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"})
    if (is_tracefs(path)) return Tracefs(path);
  const char* path = "/sys/kernel/tracing";
  if (::mount("nodev", path, "tracefs", 0, nullptr) != 0)
    return Error{std::string("tracefs is not mounted and mounting it at ") + path + " failed: " + std::strerror(errno) +
                 (errno == EPERM ? " (mounting it needs CAP_SYS_ADMIN)" : "")};
  if (!is_tracefs(path)) return Error{std::string("mounted tracefs at ") + path + " but it does not look like tracefs"};
  return Tracefs(path);
}

std::optional<std::string> Tracefs::format(const std::string& system, const std::string& event) const {
  std::ifstream in(root_ + "/events/" + system + "/" + event + "/format");
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace etrace::capture
