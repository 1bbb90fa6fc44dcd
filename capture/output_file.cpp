#include "capture/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace etrace::capture {

namespace {

std::string default_name() {
  char name[64];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  std::strftime(name, sizeof(name), "etrace-%Y%m%d-%H%M%S.raw", &tm);
  return name;
}

}  // namespace

bool OutputFile::open(const std::string& path, std::string& error) {
  if (path == "-") {
    if (isatty(STDOUT_FILENO)) {
      error = "refusing to write a binary capture to a terminal; use -o FILE, or pipe into 'etrace-decode -'";
      return false;
    }
    fd_ = STDOUT_FILENO;
    name_ = "standard output";
    stdout_ = true;
    return true;
  }
  name_ = path.empty() ? default_name() : path;
  fd_ = ::open(name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  created_ = fd_ >= 0;
  // An existing file named with -o is overwritten, as tcpdump -w does, but
  // only once the capture starts (commit()).
  if (fd_ < 0 && errno == EEXIST && !path.empty()) fd_ = ::open(name_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd_ < 0) {
    error = "cannot create " + name_ + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool OutputFile::commit(std::string& error) {
  if (!stdout_ && !created_ && ftruncate(fd_, 0) != 0) {
    error = "cannot overwrite " + name_ + ": " + std::strerror(errno);
    return false;
  }
  committed_ = true;
  return true;
}

OutputFile::~OutputFile() {
  if (fd_ < 0 || stdout_) return;
  close(fd_);
  if (created_ && !committed_) unlink(name_.c_str());
}

}  // namespace etrace::capture
