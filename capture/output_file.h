// Where a capture goes: a file (created 0600), or standard output. Nothing
// on disk changes until the capture has really started: a new file is
// removed again, and an existing one left untouched, when starting fails.
#pragma once

#include <string>

namespace etrace::capture {

class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  // `path`: a file, "-" for standard output, "" for a new timestamped file here.
  bool open(const std::string& path, std::string& error);
  // Tracing has started: an existing file is emptied now, and kept from here on.
  bool commit(std::string& error);

  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  bool is_stdout() const { return stdout_; }

 private:
  int fd_ = -1;
  std::string name_;
  bool stdout_ = false;
  bool created_ = false;
  bool committed_ = false;
};

}  // namespace etrace::capture
