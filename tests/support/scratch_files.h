// Scratch directories and the reading of what tests write there, shared by
// the unit and live tests.
#pragma once

#include <string>
#include <vector>

namespace etrace::test {

// A new directory under $TMPDIR (or /tmp), `stem`-XXXXXX, removed with
// everything in it at destruction unless keep() was called. Throws when it
// cannot be made.
class TempDir {
 public:
  explicit TempDir(const std::string& stem = "etrace");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  void keep() { keep_ = true; }

 private:
  std::string path_;
  bool keep_ = false;
};

// The whole file ("" when it cannot be read).
std::string read_file(const std::string& path);

// The names in `dir`, sorted.
std::vector<std::string> names_in(const std::string& dir);

}  // namespace etrace::test
