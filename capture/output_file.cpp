#include "capture/output_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

namespace etrace::capture {

namespace {

// etrace-YYYYmmdd-HHMMSS.raw, or with -2, -3, ... when a capture of the
// same second has the name (the file is still made new, never reused).
std::string default_name() {
  char stamp[64];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  std::strftime(stamp, sizeof(stamp), "etrace-%Y%m%d-%H%M%S", &tm);
  std::string name = std::string(stamp) + ".raw";
  struct stat st {};
  for (int n = 2; lstat(name.c_str(), &st) == 0 && n < 1000; ++n) name = std::string(stamp) + "-" + std::to_string(n) + ".raw";
  return name;
}

}  // namespace

Result<void> OutputFile::open(const std::string& path, bool rotated) {
  using Target = common::PrivateFile::Target;
  if (path == "-") {
    if (isatty(STDOUT_FILENO))
      return Error{"refusing to write a binary capture to a terminal; use -o FILE, or pipe into 'etrace-decode -'"};
    name_ = "standard output";
    stdout_ = true;
    return {};
  }
  name_ = path.empty() ? default_name() : path;
  // A file named with -o is replaced, as tcpdump -w overwrites it, but only
  // once the capture starts (commit()), and never written through a link.
  auto file =
      common::PrivateFile::create(name_, path.empty() ? Target::kNew : rotated ? Target::kDerived : Target::kUserNamed);
  if (!file) return file.error();
  file_ = std::move(*file);
  return {};
}

Result<void> OutputFile::commit() {
  if (stdout_) return {};
  return file_->commit();
}

void OutputFile::close() { file_.reset(); }

}  // namespace etrace::capture
