// Issue 14 item 1, the decoder's side: every file etrace-decode writes (-o,
// --json -o, --perfetto) is made as captures are (common/private_file.h):
// never through a planted link, never into another user's file, and never
// left half written by a full disk, which is named as the reason.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "decode_helpers.h"
#include "decoder_run.h"
#include "tests/support/small_filesystem.h"

using namespace etrace::test;

namespace {

namespace fs = std::filesystem;

// A directory of the test's own, removed with it.
class Scratch {
 public:
  Scratch() {
    char dir[] = "/tmp/etrace-decode-output-XXXXXX";
    if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp");
    dir_ = dir;
  }
  ~Scratch() { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
};

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// The three ways of naming an output file, and a sample of what each writes.
struct Way {
  const char* option;  // followed by the path
  const char* written;
};
const std::vector<Way> kWays = {{"-o", "read(3, "}, {"--json -o", "{\"kind\":\"syscall\""}, {"--perfetto", "{\"traceEvents\":["}};

// `calls` reads of one byte: about 32 bytes of text each.
std::string capture_of(int calls) {
  auto b = standard_capture();
  for (int i = 0; i < calls; ++i) {
    b.enter(1000 + 10 * i, 100, 100, kRead, {3, kBuf, 1, 0, 0, 0});
    b.exit(1005 + 10 * i, 100, 100, kRead, 1);
  }
  return b.build();
}

bool running_as_root_or_skip() {
  if (geteuid() == 0) return true;
  if (etrace::capture::test::skipping_forbidden()) ADD_FAILURE() << "ETRACE_REQUIRE_BPF=1, but not root";
  return false;
}

}  // namespace

TEST(OutputFile, APlantedLinkIsRefusedAndItsTargetKept) {
  for (const Way& way : kWays) {
    SCOPED_TRACE(way.option);
    Scratch dir;
    const std::string victim = dir.file("victim"), link = dir.file("out");
    write_file(victim, "precious");
    ASSERT_EQ(symlink(victim.c_str(), link.c_str()), 0);
    DecoderRun r = run_decoder(capture_of(2), std::string(way.option) + " " + link);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "etrace-decode: refusing to write to " + link +
                         ": it is a symbolic link, and etrace writes no file through one (name the file itself)\n");
    EXPECT_EQ(slurp(victim), "precious");
    EXPECT_TRUE(fs::is_symlink(link));
  }
}

TEST(OutputFile, AnotherUsersFileIsReplacedByANewFileOfOurOwn) {
  if (!running_as_root_or_skip()) GTEST_SKIP() << "giving a file to another user needs root";
  for (const Way& way : kWays) {
    SCOPED_TRACE(way.option);
    Scratch dir;
    // Made beforehand by uid 65534, writable by anyone, and held open by them.
    const std::string out = dir.file("out");
    write_file(out, "theirs");
    ASSERT_EQ(chmod(out.c_str(), 0666), 0);
    ASSERT_EQ(chown(out.c_str(), 65534, 65534), 0);
    const int theirs = ::open(out.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(theirs, 0);
    DecoderRun r = run_decoder(capture_of(2), std::string(way.option) + " " + out);
    EXPECT_EQ(r.status, 0) << r.err;
    struct stat st {};
    ASSERT_EQ(lstat(out.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, geteuid());
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    EXPECT_EQ(slurp(out).rfind(way.written, 0), 0u) << slurp(out);
    char buf[16] = {};
    EXPECT_EQ(pread(theirs, buf, sizeof(buf), 0), 6);
    EXPECT_STREQ(buf, "theirs") << "nothing of the output went into their file";
    ::close(theirs);
  }
}

TEST(OutputFile, AFullDiskLeavesNoPartialFileAndSaysWhy) {
  ETRACE_SMALL_FILESYSTEM(disk, 64 << 10);
  // 20,000 calls: over 600 KB of text, ten times the disk.
  const std::string capture = capture_of(20000);
  for (const Way& way : kWays) {
    SCOPED_TRACE(way.option);
    const std::string out = disk.file("out");
    write_file(out, "the previous output");
    DecoderRun r = run_decoder(capture, std::string(way.option) + " " + out);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "etrace-decode: cannot write " + out + ": No space left on device\n");
    EXPECT_EQ(slurp(out), "the previous output") << "what was there is kept";
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(disk.dir())) names.push_back(e.path().filename());
    EXPECT_EQ(names, std::vector<std::string>{"out"}) << "no partial file is left beside it";
  }
}
