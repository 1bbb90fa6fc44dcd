// OutputFile: where -o puts a capture, against issue 14's traps. The
// primitive underneath is tested in tests/unit/common; these check which
// rule each kind of capture name gets.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "capture/capture_writer.h"
#include "capture/output_file.h"
#include "tests/support/scratch_files.h"
#include "tests/unit/error_of.h"

namespace etrace::capture {
namespace {

namespace fs = std::filesystem;
using etrace::test::error_of;
using etrace::test::read_file;

class OutputFileTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return temp_.file(name); }
  void plant(const std::string& name, const std::string& bytes, mode_t mode) {
    std::ofstream(path(name)) << bytes;
    ASSERT_EQ(chmod(path(name).c_str(), mode), 0);
  }
  etrace::test::TempDir temp_{"etrace-output"};
};

TEST_F(OutputFileTest, NamedFileThatIsALinkIsRefused) {
  plant("victim", "precious", 0644);
  ASSERT_EQ(symlink(path("victim").c_str(), path("x").c_str()), 0);
  OutputFile out;
  EXPECT_EQ(error_of(out.open(path("x"), false)),
            "refusing to write to " + path("x") +
                ": it is a symbolic link, and etrace writes no file through one (name the file itself)");
  EXPECT_EQ(read_file(path("victim")), "precious");
}

TEST_F(OutputFileTest, AnotherUsersFileIsReplacedOnlyOnceTheCaptureStarts) {
  plant("x", "theirs", 0666);
  if (geteuid() == 0) {
    ASSERT_EQ(chown(path("x").c_str(), 65534, 65534), 0);
  }
  {
    OutputFile out;
    ASSERT_EQ(error_of(out.open(path("x"), false)), "");
    ASSERT_EQ(write(out.fd(), "header", 6), 6);
    // Starting failed: no commit.
  }
  EXPECT_EQ(read_file(path("x")), "theirs");
  EXPECT_EQ(std::distance(fs::directory_iterator(temp_.path()), fs::directory_iterator()), 1)
      << "no temporary file left";

  OutputFile out;
  ASSERT_EQ(error_of(out.open(path("x"), false)), "");
  ASSERT_EQ(error_of(out.commit()), "");
  ASSERT_EQ(write(out.fd(), "capture", 7), 7);
  struct stat st {};
  ASSERT_EQ(lstat(path("x").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, geteuid());
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(read_file(path("x")), "capture");
}

TEST_F(OutputFileTest, RotatedNameReplacesADanglingLink) {
  ASSERT_EQ(symlink(path("planted").c_str(), path("x.0").c_str()), 0);
  OutputFile out;
  ASSERT_EQ(error_of(out.open(rotated_name(path("x"), 0), true)), "");
  ASSERT_EQ(error_of(out.commit()), "");
  EXPECT_FALSE(fs::exists(path("planted")));
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(path("x.0"))));
  out.close();
  EXPECT_TRUE(fs::exists(path("x.0"))) << "a committed file stays once closed";
}

TEST_F(OutputFileTest, DevNullTakesTheCaptureAndStaysADevice) {
  OutputFile out;
  ASSERT_EQ(error_of(out.open("/dev/null", false)), "");
  ASSERT_EQ(error_of(out.commit()), "");
  EXPECT_EQ(write(out.fd(), "capture", 7), 7);
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

}  // namespace
}  // namespace etrace::capture
