#include "capture/output_file.h"

#include <unistd.h>

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
