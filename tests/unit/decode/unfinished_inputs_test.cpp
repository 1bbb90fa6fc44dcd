// A call shown `<unfinished ...>` whose entry could not read an input (a
// path in a page not yet faulted in, read again at exit) is written with
// the input the completed call holds, as strace shows it; the lines after it
// wait with it, within bounds. Calls are built by hand, as the pipeline
// delivers them.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "decode/render/held_lines.h"
#include "decode/render/text_renderer.h"

using namespace etrace::decode;

namespace {

constexpr int64_t kT0 = 1795316400000000000;  // event times, ns
constexpr int64_t kMs = 1'000'000;
constexpr uint64_t kPathAddress = 0x557a0605769d;

Bytes path(std::string p) {
  const uint64_t n = p.size();
  return Bytes{std::move(p), n, false, Bytes::Style::kPath};
}

DecodedCall make(uint64_t seq, uint32_t tid, std::string name, std::vector<NamedValue> args, CallPhase phase,
                 int64_t entry_ns, std::optional<int64_t> ret = std::nullopt) {
  DecodedCall c;
  c.phase = phase;
  c.seq = seq;
  c.pid = c.tid = tid;
  c.syscall = std::move(name);
  c.args = std::move(args);
  c.entry_wall_ns = entry_ns;
  if (ret) {
    ReturnValue r;
    r.raw = *ret;
    c.ret = r;
    c.exit_wall_ns = entry_ns + 1000;
  }
  return c;
}

// openat(AT_FDCWD, filename, O_RDONLY): its entry without the path.
DecodedCall openat_entered(uint64_t seq, uint32_t tid, int64_t at_ns) {
  return make(seq, tid, "openat",
              {{"dfd", Symbolic{-100, "AT_FDCWD"}}, {"filename", Unreadable{kPathAddress}},
               {"flags", Symbolic{0, "O_RDONLY"}}},
              CallPhase::kEntered, at_ns);
}
// Its completion at `end_ns`, with the path the exit read.
DecodedCall openat_completed(uint64_t seq, uint32_t tid, int64_t entry_ns, int64_t end_ns, std::string p) {
  DecodedCall c = make(seq, tid, "openat",
                       {{"dfd", Symbolic{-100, "AT_FDCWD"}}, {"filename", path(std::move(p))},
                        {"flags", Symbolic{0, "O_RDONLY"}}},
                       CallPhase::kCompleted, entry_ns, 3);
  c.exit_wall_ns = end_ns;
  return c;
}
// A whole write(1, buf, 1) of thread `tid`: its entry, then its end.
void write_call(TextRenderer& r, uint64_t seq, uint32_t tid, int64_t at_ns) {
  const std::vector<NamedValue> args{{"fd", SignedInt{1}}, {"buf", Unshown{0x1000}}, {"count", UnsignedInt{1}}};
  r.call(make(seq, tid, "write", args, CallPhase::kEntered, at_ns));
  r.call(make(seq, tid, "write", args, CallPhase::kCompleted, at_ns, 1));
}

// A text renderer writing to `out`, as etrace-decode's without options.
class UnfinishedInputs : public ::testing::Test {
 protected:
  std::ostringstream out;
  TextRenderer r{out, {}};
};

}  // namespace

TEST_F(UnfinishedInputs, TheUnfinishedLineShowsThePathTheExitRead) {
  r.call(openat_entered(1, 100, kT0));
  write_call(r, 2, 101, kT0 + 10);
  // Nothing yet: the openat line waits, and the write's line behind it.
  EXPECT_EQ(out.str(), "");
  r.call(openat_completed(1, 100, kT0, kT0 + 20, "/dev/null"));
  write_call(r, 3, 101, kT0 + 30);
  r.finish();
  EXPECT_EQ(out.str(),
            "[pid 100] openat(AT_FDCWD, \"/dev/null\", O_RDONLY <unfinished ...>\n"
            "[pid 101] write(1, 0x1000, 1) = 1\n"
            "[pid 100] <... openat resumed>) = 3\n"
            "[pid 101] write(1, 0x1000, 1) = 1\n");
}

TEST_F(UnfinishedInputs, TwoHeldLinesKeepTheirOrderWhicheverEndsFirst) {
  r.call(openat_entered(1, 100, kT0));
  r.call(openat_entered(2, 101, kT0 + 10));
  write_call(r, 3, 102, kT0 + 20);
  r.call(openat_completed(2, 101, kT0 + 10, kT0 + 30, "/tmp"));
  EXPECT_EQ(out.str(), "");  // the first still waits
  r.call(openat_completed(1, 100, kT0, kT0 + 40, "/"));
  EXPECT_EQ(out.str(),
            "[pid 100] openat(AT_FDCWD, \"/\", O_RDONLY <unfinished ...>\n"
            "[pid 101] openat(AT_FDCWD, \"/tmp\", O_RDONLY <unfinished ...>\n"
            "[pid 102] write(1, 0x1000, 1) = 1\n"
            "[pid 101] <... openat resumed>) = 3\n"
            "[pid 100] <... openat resumed>) = 3\n");
}

TEST_F(UnfinishedInputs, ACallNotEndedWithinTheTimeBoundIsWrittenWithTheAddress) {
  r.call(openat_entered(1, 100, kT0));
  write_call(r, 2, 101, kT0 + 50 * kMs);
  EXPECT_EQ(out.str(), "");
  write_call(r, 3, 101, kT0 + 101 * kMs);  // past 100 ms: both written, then this one
  const std::string released =
      "[pid 100] openat(AT_FDCWD, 0x557a0605769d, O_RDONLY <unfinished ...>\n"
      "[pid 101] write(1, 0x1000, 1) = 1\n"
      "[pid 101] write(1, 0x1000, 1) = 1\n";
  EXPECT_EQ(out.str(), released);
  r.call(openat_completed(1, 100, kT0, kT0 + 200 * kMs, "/dev/null"));
  r.finish();
  EXPECT_EQ(out.str(), released + "[pid 100] <... openat resumed>) = 3\n");
}

TEST_F(UnfinishedInputs, TooManyLinesHeldReleaseTheWaitingLine) {
  r.call(openat_entered(1, 100, kT0));
  for (uint64_t i = 0; i < 4095; ++i) write_call(r, 10 + i, 101, kT0 + 1);
  EXPECT_EQ(out.str(), "");  // 4096 lines held: the bound
  write_call(r, 9000, 101, kT0 + 2);
  const std::string written = out.str();
  EXPECT_EQ(written.rfind("[pid 100] openat(AT_FDCWD, 0x557a0605769d, O_RDONLY <unfinished ...>\n", 0), 0u);
  EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), 4097);
}

TEST_F(UnfinishedInputs, TheEndOfInputWritesWhatIsHeld) {
  r.call(openat_entered(1, 100, kT0));
  write_call(r, 2, 101, kT0 + 10);
  r.finish();
  EXPECT_EQ(out.str(),
            "[pid 100] openat(AT_FDCWD, 0x557a0605769d, O_RDONLY <unfinished ...>\n"
            "[pid 101] write(1, 0x1000, 1) = 1\n");
}

TEST_F(UnfinishedInputs, AnUnfinishedCallReleasesItsLine) {
  r.call(openat_entered(1, 100, kT0));
  write_call(r, 2, 101, kT0 + 10);
  DecodedCall lost = openat_entered(1, 100, kT0);
  lost.phase = CallPhase::kUnfinished;  // its exit was lost
  r.call(lost);
  EXPECT_EQ(out.str(),
            "[pid 100] openat(AT_FDCWD, 0x557a0605769d, O_RDONLY <unfinished ...>\n"
            "[pid 101] write(1, 0x1000, 1) = 1\n");
}

// Merged captures: a seq names a call within its host only.
TEST_F(UnfinishedInputs, AnotherHostsCallOfTheSameSeqDoesNotEndIt) {
  const std::string a = "a", b = "b";
  DecodedCall entered = openat_entered(1, 100, kT0);
  entered.host = &a;
  r.call(entered);
  DecodedCall other = openat_entered(1, 100, kT0 + 10);
  other.host = &b;
  r.call(other);
  DecodedCall other_end = openat_completed(1, 100, kT0 + 10, kT0 + 20, "/b");
  other_end.host = &b;
  r.call(other_end);
  EXPECT_EQ(out.str(), "");
  DecodedCall end = openat_completed(1, 100, kT0, kT0 + 30, "/a");
  end.host = &a;
  r.call(end);
  EXPECT_EQ(out.str(),
            "[a] [pid 100] openat(AT_FDCWD, \"/a\", O_RDONLY <unfinished ...>\n"
            "[b] [pid 100] openat(AT_FDCWD, \"/b\", O_RDONLY) = 3\n"
            "[a] [pid 100] <... openat resumed>) = 3\n");
}

// A long blocking call whose inputs are whole holds nothing back.
TEST_F(UnfinishedInputs, CallsWithWholeInputsAreNotHeld) {
  const std::vector<NamedValue> args{{"pid", SignedInt{-1}}, {"wstatus", Unshown{0x2000}},
                                     {"options", SignedInt{0}}, {"rusage", Unshown{0}}};
  DecodedCall wait = make(1, 100, "wait4", args, CallPhase::kEntered, kT0);
  wait.args_at_entry = 1;
  r.call(wait);
  for (uint64_t i = 0; i < 1000; ++i) write_call(r, 10 + i, 101, kT0 + static_cast<int64_t>(i));
  r.flush();
  const std::string before_end = out.str();
  EXPECT_EQ(before_end.rfind("[pid 100] wait4(-1,  <unfinished ...>\n", 0), 0u);
  EXPECT_EQ(std::count(before_end.begin(), before_end.end(), '\n'), 1001);
  wait.phase = CallPhase::kCompleted;
  ReturnValue ret;
  ret.raw = 101;
  wait.ret = ret;
  wait.exit_wall_ns = kT0 + 5 * kMs;
  r.call(wait);
  r.finish();
  EXPECT_EQ(out.str(), before_end + "[pid 100] <... wait4 resumed>0x2000, 0, NULL) = 101\n");
}

// An unreadable member of a struct or an element of an array counts too.
TEST_F(UnfinishedInputs, AnUnreadableValueInsideAnInputHoldsTheLine) {
  Aggregate how;
  how.fields.push_back({"flags", UnsignedInt{0}});
  how.fields.push_back({"name", List{std::vector<Value>{Unreadable{0x10}}}});
  r.call(make(1, 100, "x", {{"how", how}}, CallPhase::kEntered, kT0));
  write_call(r, 2, 101, kT0 + 10);
  EXPECT_EQ(out.str(), "");
  r.finish();
  EXPECT_EQ(out.str(), "[pid 100] x({flags=0, name=[0x10]} <unfinished ...>\n[pid 101] write(1, 0x1000, 1) = 1\n");
}

TEST(HeldLines, BytesBoundAndFill) {
  std::ostringstream out;
  HeldLines lines(out, {.wait_ns = 1000, .lines = 100, .bytes = 20});
  lines.write("a\n");
  lines.hold({1, nullptr}, "b ", "0x1\n", 0);
  lines.write("c\n");
  EXPECT_EQ(out.str(), "a\n");
  EXPECT_FALSE(lines.fill({2, nullptr}, "x\n"));
  EXPECT_TRUE(lines.fill({1, nullptr}, "\"path\"\n"));
  EXPECT_EQ(out.str(), "a\nb \"path\"\nc\n");
  EXPECT_FALSE(lines.holding());
  lines.hold({3, nullptr}, "d ", "0x2\n", 0);
  lines.write("0123456789abcdef\n");  // 23 bytes held: over 20
  EXPECT_EQ(out.str(), "a\nb \"path\"\nc\nd 0x2\n0123456789abcdef\n");
  lines.hold({4, nullptr}, "e ", "0x3\n", 0);
  lines.at(500);
  EXPECT_TRUE(lines.holding());
  lines.at(1001);
  EXPECT_FALSE(lines.holding());
  EXPECT_EQ(out.str(), "a\nb \"path\"\nc\nd 0x2\n0123456789abcdef\ne 0x3\n");
}
