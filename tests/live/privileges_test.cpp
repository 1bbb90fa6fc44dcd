// Issue 14, item 5: etrace-capture asks for capabilities, not for uid 0.
// The privilege matrix, on real runs: root; root with nothing but CAP_BPF
// and CAP_PERFMON; another user given CAP_BPF, CAP_PERFMON and
// CAP_DAC_READ_SEARCH as ambient capabilities (as systemd's
// AmbientCapabilities= gives them); that user without CAP_DAC_READ_SEARCH;
// and that user with nothing. Users are switched with util-linux's setpriv.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

constexpr uid_t kNobody = 65534;

class PrivilegeTest : public LiveTest {
 protected:
  void SetUp() override {
    LiveTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // A directory the other user can write in, under ours.
    ASSERT_EQ(chmod(dir_.path().c_str(), 0711), 0);
    mine_ = file("nobody");
    ASSERT_EQ(mkdir(mine_.c_str(), 0700), 0);
    ASSERT_EQ(chown(mine_.c_str(), kNobody, kNobody), 0);
  }

  // etrace-capture run by setpriv with `setpriv_args` first.
  Outcome capture_as(const std::vector<std::string>& setpriv_args, const std::string& out) {
    std::vector<std::string> argv = {"/usr/bin/setpriv"};
    argv.insert(argv.end(), setpriv_args.begin(), setpriv_args.end());
    for (const std::string& a : {std::string("--"), kCapture, std::string("-q"), std::string("-o"), out,
                                 std::string("--"), std::string("/bin/sh"), std::string("-c"), std::string("exit 3")})
      argv.push_back(a);
    return run(argv, dir_.path());
  }

  // A capture of `sh -c 'exit 3'` that worked: exit 3, its execve in the file.
  void expect_captured(const Outcome& o, const std::string& out, uid_t owner) {
    EXPECT_EQ(o.status, 3) << o.describe();
    EXPECT_EQ(o.err, "");
    struct stat st {};
    ASSERT_EQ(stat(out.c_str(), &st), 0) << o.describe();
    EXPECT_EQ(st.st_uid, owner);
    auto execs = calls(decode_json(out), "execve");
    ASSERT_FALSE(execs.empty());
    EXPECT_EQ(arg_text(execs.front(), "filename"), "/bin/sh");
  }

  std::string mine_;
};

const std::vector<std::string> kAsNobody = {"--reuid=65534", "--regid=65534", "--clear-groups"};

std::vector<std::string> as_nobody_with(const std::string& caps) {
  auto args = kAsNobody;
  args.push_back("--inh-caps=-all," + caps);
  args.push_back("--ambient-caps=-all," + caps);
  return args;
}

TEST_F(PrivilegeTest, RootCaptures) {
  const std::string out = file("root.raw");
  expect_captured(capture_as({}, out), out, 0);
}

TEST_F(PrivilegeTest, RootWithOnlyBpfAndPerfmonCaptures) {
  const std::string out = file("root-caps.raw");
  expect_captured(capture_as({"--inh-caps=-all,+bpf,+perfmon", "--ambient-caps=-all,+bpf,+perfmon",
                              "--bounding-set=-all,+bpf,+perfmon"},
                             out),
                  out, 0);
}

TEST_F(PrivilegeTest, AnotherUserWithCapabilitiesCaptures) {
  const std::string out = mine_ + "/nobody.raw";
  expect_captured(capture_as(as_nobody_with("+bpf,+perfmon,+dac_read_search"), out), out, kNobody);
}

TEST_F(PrivilegeTest, AnotherUserNeedsToReadTracefs) {
  struct stat st {};
  ASSERT_EQ(stat("/sys/kernel/tracing", &st), 0);
  const std::string out = mine_ + "/no-dac.raw";
  Outcome o = capture_as(as_nobody_with("+bpf,+perfmon"), out);
  if (st.st_uid == 0 && !(st.st_mode & S_IXOTH)) {
    // Root's tracefs, closed to others (its default mode, 0700).
    EXPECT_EQ(o.status, 1) << o.describe();
    EXPECT_EQ(lines_of(o.err), std::vector<std::string>{
                                   "etrace-capture: cannot read the syscall events of tracefs "
                                   "(/sys/kernel/tracing/events/syscalls): Permission denied; a user other than root "
                                   "needs CAP_DAC_READ_SEARCH to read tracefs"});
    EXPECT_FALSE(std::filesystem::exists(out));
  } else {
    expect_captured(o, out, kNobody);
  }
}

TEST_F(PrivilegeTest, AnotherUserWithoutCapabilitiesIsToldWhichAreMissing) {
  const std::string out = mine_ + "/none.raw";
  Outcome o = capture_as(kAsNobody, out);
  EXPECT_EQ(o.status, 1) << o.describe();
  EXPECT_EQ(lines_of(o.err), std::vector<std::string>{
                                 "etrace-capture: missing CAP_BPF and CAP_PERFMON: loading and attaching its BPF "
                                 "programs needs CAP_BPF and CAP_PERFMON (run it as root, or give it both: README, "
                                 "Privileges)"});
  EXPECT_FALSE(std::filesystem::exists(out));
  o = capture_as(as_nobody_with("+bpf"), out);
  EXPECT_EQ(o.status, 1) << o.describe();
  EXPECT_NE(o.err.find("etrace-capture: missing CAP_PERFMON: "), std::string::npos) << o.err;
}

}  // namespace
}  // namespace etrace::live
