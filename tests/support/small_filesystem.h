// A tmpfs of a few hundred kilobytes, for the tests of what a full disk does
// to a capture. Mounted in a mount namespace of the test process's own, so
// no mount outlives the test, whatever becomes of it. Needs root
// (CAP_SYS_ADMIN): without it the test is skipped loudly, or fails when
// ETRACE_REQUIRE_BPF=1 (as in CI, which runs as root and must not skip).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace etrace::capture::test {

class SmallFilesystem {
 public:
  // Empty, with the reason, when it cannot be mounted here.
  static std::optional<SmallFilesystem> mount(uint64_t bytes, std::string& why);
  SmallFilesystem(SmallFilesystem&& other) noexcept : dir_(std::move(other.dir_)) { other.dir_.clear(); }
  SmallFilesystem& operator=(SmallFilesystem&&) = delete;
  ~SmallFilesystem();

  const std::string& dir() const { return dir_; }
  std::string file(const std::string& name) const { return dir_ + "/" + name; }

 private:
  SmallFilesystem() = default;
  std::string dir_;
};

// ETRACE_REQUIRE_BPF=1: a test that cannot run here fails instead of skipping.
bool skipping_forbidden();

}  // namespace etrace::capture::test

// Declares `name`, a SmallFilesystem of `bytes`, or skips (loudly) / fails the test.
#define ETRACE_SMALL_FILESYSTEM(name, bytes)                                                           \
  std::string name##_why;                                                                              \
  auto name##_fs = ::etrace::capture::test::SmallFilesystem::mount((bytes), name##_why);               \
  if (!name##_fs) {                                                                                    \
    if (::etrace::capture::test::skipping_forbidden()) FAIL() << "ETRACE_REQUIRE_BPF=1, but " << name##_why; \
    std::cerr << "*** etrace test SKIPPED: " << name##_why << " ***\n";                                \
    GTEST_SKIP() << name##_why;                                                                        \
  }                                                                                                    \
  const ::etrace::capture::test::SmallFilesystem& name = *name##_fs
