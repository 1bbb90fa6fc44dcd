// Where a capture goes: a file, or standard output. Nothing on disk changes
// until the capture has really started: the file is written under a
// temporary name beside its target and put in place by commit() (see
// common/private_file.h), and removed again when starting fails.
#pragma once

#include <optional>
#include <string>

#include "common/private_file.h"
#include "common/result.h"

namespace etrace::capture {

class OutputFile {
 public:
  // `path`: a file, "-" for standard output, "" for a new timestamped file
  // here. `rotated`: `path` is the first file of a rotated capture (FILE.0).
  Result<void> open(const std::string& path, bool rotated);
  // Tracing has started: the file takes its place (replacing a file there), and is kept from here on.
  Result<void> commit();
  // Closes the file now (a rotated capture has moved past it).
  void close();

  int fd() const { return stdout_ ? 1 : file_ ? file_->fd() : -1; }
  const std::string& name() const { return name_; }
  bool is_stdout() const { return stdout_; }

 private:
  std::optional<common::PrivateFile> file_;
  std::string name_;
  bool stdout_ = false;
};

}  // namespace etrace::capture
