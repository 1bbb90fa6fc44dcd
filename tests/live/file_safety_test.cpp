// Issue 14, items 1 to 3, on real captures: -o never writes through a
// planted link or into another user's file; a rotated capture with
// --rotate-count keeps going on a disk it fills many times over; a capture
// that fills the disk ends with its statistics trailer and exact losses.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "tests/live/live_fixture.h"
#include "tests/support/small_filesystem.h"

namespace etrace::live {
namespace {

namespace fs = std::filesystem;

// getpid calls: at about 5 bytes each once compressed, well over 10 MB.
constexpr const char* kStormCalls = "3000000";

struct stat lstat_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st;
}

TEST_F(LiveTest, OutputThroughAPlantedLinkIsRefusedAndItsTargetKept) {
  const std::string victim = file("victim"), link = file("capture.raw");
  write_file(victim, "precious");
  ASSERT_EQ(symlink(victim.c_str(), link.c_str()), 0);
  Outcome cap = capture({"-o", link, "--", kWorkload, "run"});
  EXPECT_EQ(cap.status, 1) << cap.describe();
  EXPECT_EQ(lines_of(cap.err), std::vector<std::string>{"etrace-capture: refusing to write to " + link +
                                                        ": it is a symbolic link, and etrace writes no file through "
                                                        "one (name the file itself)"});
  EXPECT_EQ(read_file(victim), "precious");
  EXPECT_TRUE(S_ISLNK(lstat_of(link).st_mode));
}

TEST_F(LiveTest, OutputOverAnotherUsersFileIsANewFileOfOurOwn) {
  // Made beforehand by uid 65534 with mode 0666, and held open by them.
  const std::string out = file("capture.raw");
  write_file(out, "theirs");
  ASSERT_EQ(chmod(out.c_str(), 0666), 0);
  ASSERT_EQ(chown(out.c_str(), 65534, 65534), 0);
  const int theirs = ::open(out.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(theirs, 0);
  Outcome cap = capture({"-q", "-o", out, "--", kWorkload, "run"});
  EXPECT_EQ(cap.status, kExit) << cap.describe();
  const struct stat st = lstat_of(out);
  EXPECT_EQ(st.st_uid, geteuid());
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_FALSE(calls(decode_json(out), "getpid").empty());
  struct stat old {};
  ASSERT_EQ(fstat(theirs, &old), 0);
  EXPECT_NE(old.st_ino, st.st_ino);
  EXPECT_EQ(old.st_uid, 65534u);
  char buf[16] = {};
  EXPECT_EQ(pread(theirs, buf, sizeof(buf), 0), 6);
  EXPECT_STREQ(buf, "theirs") << "nothing of the capture went into their file";
  ::close(theirs);
}

TEST_F(LiveTest, RotatedNamesReplacePlantedLinksWithoutFollowingThem) {
  const std::string base = file("rot.raw"), victim = file("victim"), planted = file("planted");
  write_file(victim, "precious");
  ASSERT_EQ(symlink(planted.c_str(), (base + ".1").c_str()), 0);  // dangling
  ASSERT_EQ(symlink(victim.c_str(), (base + ".2").c_str()), 0);
  Outcome cap = capture({"-q", "--rotate-size", "64K", "-o", base, "--", kWorkload, "ticks", "30"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  EXPECT_FALSE(fs::exists(planted)) << "the dangling link was not followed";
  EXPECT_EQ(read_file(victim), "precious");
  for (const char* k : {".1", ".2"}) {
    const struct stat st = lstat_of(base + k);
    EXPECT_TRUE(S_ISREG(st.st_mode)) << k;
    EXPECT_EQ(st.st_mode & 07777, 0600u) << k;
    decode_json(base + k);
  }
}

TEST_F(LiveTest, RotateCountKeepsACaptureGoingOnASmallDisk) {
  // 1 MiB of disk, files of 256K, three kept: a storm writes over ten times that.
  ETRACE_SMALL_FILESYSTEM(disk, 1 << 20);
  const std::string base = disk.file("rot.raw");
  Outcome cap = capture({"--rotate-size", "256K", "--rotate-count", "3", "-o", base, "--", kWorkload, "storm",
                         kStormCalls},
                        120s);
  ASSERT_EQ(cap.status, 0) << cap.describe();
  unsigned long long bytes = 0, files = 0;
  const auto last = lines_of(cap.err).back();
  ASSERT_EQ(std::sscanf(last.c_str(), "etrace-capture: stopped (command exited); %llu bytes in %llu files", &bytes,
                        &files),
            2)
      << cap.err;
  EXPECT_GT(bytes, 5ull << 20) << "the disk was filled several times over";
  const auto names = names_in(disk.dir());
  ASSERT_EQ(names.size(), 3u) << cap.err;
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    EXPECT_GE(std::stoull(name.substr(name.rfind('.') + 1)), files - 3);
    // Whole, with its trailer. (Whether the kernel lost records under the
    // storm is not this test's business: a loaded machine may.)
    Outcome stats = decode({disk.file(name), "--stats", "--json"});
    ASSERT_EQ(stats.status, 0) << stats.describe();
    EXPECT_EQ(stats.err.find("trailer"), std::string::npos) << stats.err;
    EXPECT_EQ(stats.err.find("ends inside"), std::string::npos) << stats.err;
    const Json report = Json::parse(stats.out);
    EXPECT_EQ(report.at("lost").at("known"), true) << stats.out;
    EXPECT_GT(report.at("capture").at("records"), 0) << stats.out;
  }
}

TEST_F(LiveTest, FullDiskEndsTheCaptureWithItsTrailerAndExactLosses) {
  ETRACE_SMALL_FILESYSTEM(disk, 1 << 20);
  const std::string out = disk.file("full.raw");
  // A storm that outlasts the disk, however slow the machine: it is left
  // running when the capture stops, and killed below.
  Outcome cap = capture({"-q", "-o", out, "--", kWorkload, "storm", "1000000000000"}, 120s);
  EXPECT_EQ(cap.status, 1) << cap.describe();
  // One line: the disk, the file, what was not written, and the command.
  const auto lines = lines_of(cap.err);
  ASSERT_EQ(lines.size(), 1u) << cap.err;
  const std::string lead = "etrace-capture: stopped: the disk holding " + out + " is full; " + out +
                           " ends with its statistics trailer after the last of the ";
  EXPECT_EQ(lines[0].rfind(lead, 0), 0u) << lines[0];
  unsigned long long written = 0, unwritten = 0;
  long pid = 0;
  ASSERT_EQ(std::sscanf(lines[0].c_str() + std::min(lead.size(), lines[0].size()),
                        "%llu records that fit, and the %llu taken after them were not written; the command (pid "
                        "%ld) goes on running, no longer traced",
                        &written, &unwritten, &pid),
            3)
      << lines[0];
  kill(static_cast<pid_t>(pid), SIGKILL);  // the storm, ours, left running untraced

  // It decodes cleanly: no truncation, the trailer there.
  Outcome text = decode({out, "--json"});
  EXPECT_EQ(text.status, 0) << text.describe();
  std::string error;
  const auto events = parse_json_lines(text.out, error);
  EXPECT_EQ(error, "");
  Outcome stats = decode({out, "--stats", "--json"});
  ASSERT_EQ(stats.status, 0) << stats.describe();
  const Json report = Json::parse(stats.out);
  const Json& lost = report.at("lost");
  EXPECT_EQ(lost.at("known"), true) << "the trailer is there: " << stats.out;
  // Exact: the records the trailer counts are the file's, and every loss
  // it counts (save skipped program runs) is marked in the file.
  EXPECT_EQ(report.at("capture").at("records"), written) << stats.out;
  std::map<int64_t, int64_t> marked;
  for (const auto& e : events)
    if (str_of(e, "kind") == "lost") marked[*int_of(e, "cpu")] += *int_of(e, "count");
  for (const auto& cpu : lost.at("cpus")) EXPECT_EQ(marked[cpu.at("cpu")], cpu.at("lost")) << cpu.dump();
  if (lost.at("records") == 0) {
    EXPECT_EQ(text.err, "") << "a full-disk capture decodes without a warning";
  } else {
    EXPECT_EQ(lines_of(text.err).size(), 1u) << "only the kernel's losses are reported: " << text.err;
  }
}

}  // namespace
}  // namespace etrace::live
