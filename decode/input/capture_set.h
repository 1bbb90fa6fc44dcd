// Several files read as one capture: the files a rotated capture wrote
// (FILE.0, FILE.1, ..., named one by one or by their base FILE), whose
// records continue one another, so that calls spanning two files pair up.
// Each file carries the same metadata; the last one's trailer holds the
// capture's losses (etrace-capture writes them cumulative). A CaptureSet
// refuses a file of another capture, one sentence saying which; files of
// several captures are first grouped by group_by_capture().
#pragma once

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "decode/input/capture_file.h"

namespace etrace::decode {

// The names to read: each as given, except a FILE that does not exist
// while FILE.0, FILE.1, ... do, which stands for those, in order.
std::vector<std::string> expand_rotated(const std::vector<std::string>& names);

// The names grouped by capture (files sharing their capture's start and
// command line), files in the order given, captures in the order of their
// first file. Standard input is one capture, and read alone.
Result<std::vector<std::vector<std::string>>> group_by_capture(const std::vector<std::string>& names);

class CaptureSet {
 public:
  // Opens the first file ("-": standard input, alone).
  static Result<CaptureSet> open(std::vector<std::string> names);

  CaptureFile& current() { return *file_->capture; }
  const CaptureFile& current() const { return *file_->capture; }
  // For messages: the file's name, or "standard input".
  std::string current_name() const { return names_[index_] == "-" ? "standard input" : names_[index_]; }
  bool last() const { return index_ + 1 == names_.size(); }
  size_t size() const { return names_.size(); }
  // Moves on to the next file, checked to be of the same capture.
  Result<void> next();

 private:
  friend Result<std::vector<std::vector<std::string>>> group_by_capture(const std::vector<std::string>& names);
  struct Open {
    std::unique_ptr<std::ifstream> stream;  // null for standard input
    std::unique_ptr<CaptureFile> capture;
  };
  static Result<Open> open_one(const std::string& name);

  std::vector<std::string> names_;
  size_t index_ = 0;
  std::unique_ptr<Open> file_;
  // The first file's capture block, that every later one must repeat.
  std::optional<format::CaptureInfo> first_info_;
};

}  // namespace etrace::decode
