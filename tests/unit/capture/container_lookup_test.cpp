// --container: finding a container's cgroup by (a prefix of) its id, in a
// directory tree laid out as runtimes lay out /sys/fs/cgroup.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "capture/cgroup_filter.h"
#include "tests/unit/error_of.h"

using namespace etrace::capture;
using etrace::test::error_of;
namespace fs = std::filesystem;

namespace {

const std::string kDocker = "d0d0d0d0aaaa1111222233334444555566667777888899990000aaaabbbbcccc";
const std::string kCrio = "c1c1c1c1aaaa1111222233334444555566667777888899990000aaaabbbbcccc";
const std::string kTwin = "d0d0d0d0aaaa9111222233334444555566667777888899990000aaaabbbbcccc";

class ContainerLookup : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("etrace-cgroups-" + std::to_string(getpid()));
    fs::create_directories(root_ / "system.slice" / ("docker-" + kDocker + ".scope") / "init");
    fs::create_directories(root_ / "kubepods.slice" / ("crio-" + kCrio + ".scope"));
    fs::create_directories(root_ / "docker" / kTwin);
    fs::create_directories(root_ / "user.slice" / "session-1.scope");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

}  // namespace

TEST_F(ContainerLookup, FullIdAndPrefix) {
  auto t = resolve_container(root_.string(), kCrio);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->path, "/kubepods.slice/crio-" + kCrio + ".scope");
  EXPECT_EQ(t->dir, root_.string() + t->path);
  t = resolve_container(root_.string(), kDocker.substr(0, 16));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->path, "/system.slice/docker-" + kDocker + ".scope");
  t = resolve_container(root_.string(), "D0D0D0D0AAAA9");  // case does not matter
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->path, "/docker/" + kTwin);
}

TEST_F(ContainerLookup, AmbiguousMissingAndMalformed) {
  std::string error = error_of(resolve_container(root_.string(), kDocker.substr(0, 12)));  // kDocker and kTwin
  EXPECT_NE(error.find("matches 2 containers"), std::string::npos) << error;
  error = error_of(resolve_container(root_.string(), "feedfeedfeed"));
  EXPECT_NE(error.find("no cgroup under"), std::string::npos) << error;
  error = error_of(resolve_container(root_.string(), "d0d0d0"));
  EXPECT_NE(error.find("12 to 64 hex digits"), std::string::npos) << error;
}
