#include "tests/support/small_filesystem.h"

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace etrace::capture::test {

std::optional<SmallFilesystem> SmallFilesystem::mount(uint64_t bytes, std::string& why) {
  if (geteuid() != 0) {
    why = "mounting a small tmpfs needs root (euid " + std::to_string(geteuid()) + ")";
    return std::nullopt;
  }
  // Our own mount namespace, private from the root down: the tmpfs is seen
  // by this process alone and goes away with it.
  if (unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    why = std::string("cannot make a mount namespace: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "etrace-smallfs-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) {
    why = std::string("mkdtemp: ") + std::strerror(errno);
    return std::nullopt;
  }
  const std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
  if (::mount("etrace-test", tmpl.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    why = "cannot mount a tmpfs at " + tmpl + ": " + std::strerror(errno);
    rmdir(tmpl.c_str());
    return std::nullopt;
  }
  SmallFilesystem fs;
  fs.dir_ = tmpl;
  return fs;
}

SmallFilesystem::~SmallFilesystem() {
  if (dir_.empty()) return;
  umount2(dir_.c_str(), MNT_DETACH);
  rmdir(dir_.c_str());
}

bool skipping_forbidden() {
  const char* v = std::getenv("ETRACE_REQUIRE_BPF");
  return v && std::string(v) == "1";
}

}  // namespace etrace::capture::test
