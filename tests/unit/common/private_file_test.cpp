// PrivateFile against the traps of issue 14: a symbolic link at the target
// (to a file, dangling), a file another user made beforehand with mode 0666,
// a hard link to a file, a FIFO and a device, and a directory.
#include "common/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "tests/support/scratch_files.h"
#include "tests/unit/error_of.h"

namespace etrace::common {
namespace {

namespace fs = std::filesystem;
using Target = PrivateFile::Target;
using etrace::test::error_of;
using etrace::test::names_in;
using etrace::test::read_file;

constexpr uid_t kOtherUid = 65534;  // nobody

void write_file(const std::string& path, const std::string& bytes, mode_t mode = 0644) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
  ASSERT_EQ(chmod(path.c_str(), mode), 0);
}

bool write_fd(int fd, const std::string& bytes) {
  return ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
}

struct stat lstat_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st;
}

class PrivateFileTest : public ::testing::Test {
 protected:
  void SetUp() override { old_umask_ = umask(0); }  // the mode must be 0600 whatever the umask lets through
  void TearDown() override { umask(old_umask_); }
  std::string path(const std::string& name) const { return temp_.file(name); }

  // Creates, writes `bytes`, commits; expects success.
  void write_through(const std::string& target_path, Target target, const std::string& bytes) {
    auto f = PrivateFile::create(target_path, target);
    ASSERT_TRUE(f) << f.error().message;
    ASSERT_TRUE(write_fd(f->fd(), bytes));
    ASSERT_EQ(error_of(f->commit()), "");
  }

  // A fresh regular file of ours, mode 0600, holding `bytes`.
  void expect_ours(const std::string& p, const std::string& bytes) {
    const struct stat st = lstat_of(p);
    EXPECT_TRUE(S_ISREG(st.st_mode)) << p;
    EXPECT_EQ(st.st_mode & 07777, 0600u) << p;
    EXPECT_EQ(st.st_uid, geteuid()) << p;
    EXPECT_EQ(read_file(p), bytes);
  }

  etrace::test::TempDir temp_{"etrace-private"};
  mode_t old_umask_ = 0;
};

TEST_F(PrivateFileTest, NewFileIsModeSixHundredAndAppearsOnlyAtCommit) {
  auto f = PrivateFile::create(path("out"), Target::kUserNamed);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_TRUE(f->is_regular());
  EXPECT_FALSE(fs::exists(path("out"))) << "nothing at the target before commit";
  ASSERT_TRUE(write_fd(f->fd(), "capture"));
  ASSERT_EQ(error_of(f->commit()), "");
  f->close();
  expect_ours(path("out"), "capture");
  EXPECT_EQ(names_in(temp_.path()), std::vector<std::string>{"out"}) << "no temporary file left";
}

TEST_F(PrivateFileTest, UncommittedFileIsRemovedAndTheTargetLeftAlone) {
  write_file(path("out"), "previous capture");
  {
    auto f = PrivateFile::create(path("out"), Target::kUserNamed);
    ASSERT_TRUE(f) << f.error().message;
    ASSERT_TRUE(write_fd(f->fd(), "half"));
  }
  EXPECT_EQ(read_file(path("out")), "previous capture");
  EXPECT_EQ(names_in(temp_.path()), std::vector<std::string>{"out"});
}

TEST_F(PrivateFileTest, SymbolicLinkToAFileIsRefusedAndItsTargetUntouched) {
  write_file(path("victim"), "precious", 0644);
  ASSERT_EQ(symlink(path("victim").c_str(), path("out").c_str()), 0);
  const std::string error = error_of(PrivateFile::create(path("out"), Target::kUserNamed));
  EXPECT_NE(error.find("symbolic link"), std::string::npos) << error;
  EXPECT_EQ(read_file(path("victim")), "precious");
  EXPECT_TRUE(S_ISLNK(lstat_of(path("out")).st_mode));
}

TEST_F(PrivateFileTest, DanglingLinkIsRefusedAndNothingIsCreatedAtItsTarget) {
  ASSERT_EQ(symlink(path("planted").c_str(), path("out").c_str()), 0);
  EXPECT_FALSE(PrivateFile::create(path("out"), Target::kUserNamed));
  EXPECT_FALSE(fs::exists(path("planted")));
}

TEST_F(PrivateFileTest, DerivedNameReplacesALinkWithoutFollowingIt) {
  // A rotated name FILE.1 planted as a link, dangling or not: replaced by our own file.
  write_file(path("victim"), "precious", 0666);
  ASSERT_EQ(symlink(path("victim").c_str(), path("out.1").c_str()), 0);
  ASSERT_EQ(symlink(path("planted").c_str(), path("out.2").c_str()), 0);
  write_through(path("out.1"), Target::kDerived, "one");
  write_through(path("out.2"), Target::kDerived, "two");
  expect_ours(path("out.1"), "one");
  expect_ours(path("out.2"), "two");
  EXPECT_EQ(read_file(path("victim")), "precious");
  EXPECT_FALSE(fs::exists(path("planted")));
}

TEST_F(PrivateFileTest, ExistingFileOfAnotherUserIsReplacedNotReused) {
  // Made beforehand by another user, mode 0666, and kept open by them.
  write_file(path("out"), "theirs", 0666);
  const bool root = geteuid() == 0;
  if (root) {
    ASSERT_EQ(chown(path("out").c_str(), kOtherUid, kOtherUid), 0);
  }
  const int theirs = ::open(path("out").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(theirs, 0);
  const ino_t old_inode = lstat_of(path("out")).st_ino;

  write_through(path("out"), Target::kUserNamed, "root's capture");
  expect_ours(path("out"), "root's capture");
  EXPECT_NE(lstat_of(path("out")).st_ino, old_inode) << "a new file, not theirs reused";
  // What they hold open is still their file, with none of ours in it.
  struct stat st {};
  ASSERT_EQ(fstat(theirs, &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0666u);
  if (root) {
    EXPECT_EQ(st.st_uid, kOtherUid);
  }
  char buf[64] = {};
  EXPECT_EQ(pread(theirs, buf, sizeof(buf), 0), 6);
  EXPECT_STREQ(buf, "theirs");
  ::close(theirs);
}

TEST_F(PrivateFileTest, HardLinkedFileKeepsItsContentUnderItsOtherName) {
  write_file(path("victim"), "precious", 0600);
  ASSERT_EQ(link(path("victim").c_str(), path("out").c_str()), 0);
  write_through(path("out"), Target::kUserNamed, "capture");
  expect_ours(path("out"), "capture");
  EXPECT_EQ(read_file(path("victim")), "precious");
}

TEST_F(PrivateFileTest, CharacterDeviceIsWrittenInPlace) {
  auto f = PrivateFile::create("/dev/null", Target::kUserNamed);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_FALSE(f->is_regular());
  EXPECT_TRUE(write_fd(f->fd(), "discarded"));
  EXPECT_EQ(error_of(f->commit()), "");
  f->close();
  EXPECT_TRUE(S_ISCHR(lstat_of("/dev/null").st_mode)) << "/dev/null is still the device";
}

TEST_F(PrivateFileTest, FifoIsWrittenInPlace) {
  ASSERT_EQ(mkfifo(path("pipe").c_str(), 0600), 0);
  const int reader = ::open(path("pipe").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  auto f = PrivateFile::create(path("pipe"), Target::kUserNamed);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_FALSE(f->is_regular());
  ASSERT_TRUE(write_fd(f->fd(), "through"));
  ASSERT_EQ(error_of(f->commit()), "");
  char buf[16] = {};
  EXPECT_EQ(::read(reader, buf, sizeof(buf)), 7);
  EXPECT_STREQ(buf, "through");
  ::close(reader);
  EXPECT_TRUE(S_ISFIFO(lstat_of(path("pipe")).st_mode));
}

TEST_F(PrivateFileTest, LinkToADeviceIsRefused) {
  // /dev/stdout is one: writing through it as root could reach anything.
  ASSERT_EQ(symlink("/dev/null", path("out").c_str()), 0);
  const std::string error = error_of(PrivateFile::create(path("out"), Target::kUserNamed));
  EXPECT_NE(error.find("symbolic link"), std::string::npos) << error;
}

TEST_F(PrivateFileTest, DirectoryIsRefused) {
  ASSERT_EQ(mkdir(path("d").c_str(), 0700), 0);
  for (Target t : {Target::kNew, Target::kUserNamed, Target::kDerived}) {
    const std::string error = error_of(PrivateFile::create(path("d"), t));
    EXPECT_NE(error.find("directory"), std::string::npos) << error;
  }
  EXPECT_FALSE(PrivateFile::create(temp_.path() + "/", Target::kUserNamed));
  EXPECT_EQ(names_in(temp_.path()), std::vector<std::string>{"d"});
}

TEST_F(PrivateFileTest, NewNameRefusesWhatIsThereAndWhatAppearsBeforeCommit) {
  write_file(path("taken"), "someone's");
  const std::string error = error_of(PrivateFile::create(path("taken"), Target::kNew));
  EXPECT_NE(error.find("already exists"), std::string::npos) << error;
  EXPECT_EQ(read_file(path("taken")), "someone's");

  auto f = PrivateFile::create(path("fresh"), Target::kNew);
  ASSERT_TRUE(f) << f.error().message;
  ASSERT_EQ(symlink(path("victim").c_str(), path("fresh").c_str()), 0);  // planted meanwhile
  EXPECT_FALSE(f->commit());
  EXPECT_TRUE(S_ISLNK(lstat_of(path("fresh")).st_mode)) << "left as it was";
  f->close();
  EXPECT_FALSE(fs::exists(path("victim")));
  EXPECT_EQ(names_in(temp_.path()), (std::vector<std::string>{"fresh", "taken"}));
}

TEST_F(PrivateFileTest, MissingDirectoryIsOneSentence) {
  const std::string error = error_of(PrivateFile::create(path("no/such/out"), Target::kUserNamed));
  EXPECT_EQ(error, "cannot create " + path("no/such/out") + ": No such file or directory");
}

TEST_F(PrivateFileTest, MovedFileKeepsItsState) {
  auto created = PrivateFile::create(path("out"), Target::kUserNamed);
  ASSERT_TRUE(created) << created.error().message;
  std::optional<PrivateFile> f(std::move(*created));
  PrivateFile moved = std::move(*f);
  f.reset();  // the moved-from object removes nothing
  ASSERT_TRUE(write_fd(moved.fd(), "x"));
  ASSERT_EQ(error_of(moved.commit()), "");
  EXPECT_EQ(read_file(path("out")), "x");
}

// -ff's files between writes: no descriptor held, the writes appended in
// order, the file put in place whole, or removed when never committed.
TEST_F(PrivateFileTest, ParkedFileHoldsNoDescriptorAndResumesAtItsEnd) {
  auto f = PrivateFile::create(path("out.1"), Target::kDerived);
  ASSERT_TRUE(f) << f.error().message;
  ASSERT_TRUE(write_fd(f->fd(), "first "));
  f->park();
  EXPECT_EQ(f->fd(), -1);
  ASSERT_EQ(error_of(f->resume()), "");
  ASSERT_TRUE(write_fd(f->fd(), "second"));
  f->park();
  EXPECT_FALSE(fs::exists(path("out.1"))) << "nothing at the target before commit";
  ASSERT_EQ(error_of(f->commit()), "") << "committed while parked";
  f->close();
  expect_ours(path("out.1"), "first second");
  EXPECT_EQ(names_in(temp_.path()), std::vector<std::string>{"out.1"});

  auto dropped = PrivateFile::create(path("out.2"), Target::kDerived);
  ASSERT_TRUE(dropped) << dropped.error().message;
  dropped->park();
  dropped->close();
  EXPECT_EQ(names_in(temp_.path()), std::vector<std::string>{"out.1"}) << "the parked temporary file removed";
}

// Whoever may write in the directory could swap the temporary file for a
// link, or a hard link to a file of root's, while it is parked.
TEST_F(PrivateFileTest, ResumeRefusesAFileSwappedInMeanwhile) {
  write_file(path("victim"), "precious", 0600);
  auto f = PrivateFile::create(path("out"), Target::kDerived);
  ASSERT_TRUE(f) << f.error().message;
  f->park();
  std::vector<std::string> names = names_in(temp_.path());
  const auto temp = std::find_if(names.begin(), names.end(), [](const std::string& n) { return n[0] == '.'; });
  ASSERT_NE(temp, names.end());
  const std::string temp_path = path(*temp);
  ASSERT_EQ(unlink(temp_path.c_str()), 0);
  ASSERT_EQ(link(path("victim").c_str(), temp_path.c_str()), 0);
  EXPECT_NE(error_of(f->resume()).find("replaced"), std::string::npos);
  ASSERT_EQ(unlink(temp_path.c_str()), 0);
  ASSERT_EQ(symlink(path("victim").c_str(), temp_path.c_str()), 0);
  EXPECT_NE(error_of(f->resume()), "");
  ASSERT_EQ(unlink(temp_path.c_str()), 0);
  ASSERT_EQ(mkfifo(temp_path.c_str(), 0600), 0);
  EXPECT_NE(error_of(f->resume()), "") << "refused, without waiting for a reader";
  EXPECT_EQ(read_file(path("victim")), "precious");
}

TEST_F(PrivateFileTest, ResumeRefusesADirectorySwappedInMeanwhile) {
  ASSERT_EQ(mkdir(path("d").c_str(), 0700), 0);
  auto f = PrivateFile::create(path("d/out"), Target::kDerived);
  ASSERT_TRUE(f) << f.error().message;
  f->park();
  ASSERT_EQ(rename(path("d").c_str(), path("moved").c_str()), 0);
  ASSERT_EQ(mkdir(path("elsewhere").c_str(), 0700), 0);
  ASSERT_EQ(symlink(path("elsewhere").c_str(), path("d").c_str()), 0);
  EXPECT_NE(error_of(f->resume()).find("directory was replaced"), std::string::npos);
  EXPECT_NE(error_of(f->commit()).find("directory was replaced"), std::string::npos);
  EXPECT_EQ(names_in(path("elsewhere")), std::vector<std::string>{});
}

}  // namespace
}  // namespace etrace::common
