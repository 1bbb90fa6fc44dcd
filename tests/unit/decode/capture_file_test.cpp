// Reading damaged, foreign and future captures; and etrace-decode's own
// exit statuses and messages on them.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <sstream>

#include "decode_helpers.h"
#include "decoder_run.h"

using namespace etrace::test;
using etrace::decode::CaptureFile;

namespace {

// A capture opened and read to its end: how many records, and how it ended.
struct ReadBack {
  int records = 0;
  CaptureFile::End end = CaptureFile::End::kClean;
  std::string message;
  uint64_t skipped_blocks = 0;
};

ReadBack read_back(const std::string& file) {
  std::istringstream in(file);
  CaptureFile c(in);
  ReadBack r;
  EXPECT_TRUE(c.open());
  while (c.next_record()) ++r.records;
  r.end = c.end();
  r.message = c.message();
  r.skipped_blocks = c.skipped_blocks();
  return r;
}

}  // namespace

TEST(CaptureFile, ReadsMetadataBeforeRecords) {
  std::istringstream in(two_blocks().build());
  CaptureFile c(in);
  ASSERT_TRUE(c.open());
  ASSERT_TRUE(c.host());
  EXPECT_EQ(c.host()->hostname, "testhost");
  ASSERT_TRUE(c.capture());
  EXPECT_EQ(c.capture()->realtime_offset_ns, 1795316400LL * 1000000000LL);
  ASSERT_TRUE(c.syscall_table());
  EXPECT_EQ(c.syscall_table()->names.at(kOpenat), "openat");
  ASSERT_TRUE(c.formats());
  EXPECT_EQ(c.formats()->formats.count("sys_enter_openat"), 1u);
  int records = 0;
  while (c.next_record()) ++records;
  EXPECT_EQ(records, 4);
  EXPECT_EQ(c.end(), CaptureFile::End::kClean);
  EXPECT_TRUE(c.stats().has_value());
}

TEST(CaptureFile, TruncatedFileYieldsItsCompleteBlocks) {
  std::string file = two_blocks().build(false);
  file.resize(file.size() - 5);  // cut into the last events block
  const ReadBack r = read_back(file);
  EXPECT_EQ(r.records, 2);
  EXPECT_EQ(r.end, CaptureFile::End::kTruncated);
  EXPECT_NE(r.message.find("the capture ends inside a block at byte"), std::string::npos) << r.message;
}

TEST(CaptureFile, CorruptTrailerStopsDecoding) {
  std::string file = two_blocks().build(false);
  file[file.size() - 1] ^= 0x40;  // the last block's length trailer
  const ReadBack r = read_back(file);
  EXPECT_EQ(r.records, 2);
  EXPECT_EQ(r.end, CaptureFile::End::kCorrupt);
  EXPECT_NE(r.message.find("corrupt"), std::string::npos) << r.message;
}

TEST(CaptureFile, NotACapture) {
  std::istringstream in("#!/bin/sh\necho hello\n");
  CaptureFile c(in);
  auto opened = c.open();
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("not an etrace capture"), std::string::npos) << opened.error().message;
}

TEST(CaptureFile, NewerMajorVersion) {
  std::string file = two_blocks().build();
  const uint16_t major = 2;
  std::memcpy(file.data() + 12, &major, sizeof(major));  // FileHeader.major
  std::istringstream in(file);
  CaptureFile c(in);
  auto opened = c.open();
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("newer"), std::string::npos) << opened.error().message;
}

TEST(CaptureFile, UnknownBlockTypesAreSkipped) {
  auto b = two_blocks();
  b.extra_blocks.push_back({77, {1, 2, 3}});
  const ReadBack r = read_back(b.build());
  EXPECT_EQ(r.records, 4);
  EXPECT_EQ(r.skipped_blocks, 1u);
  EXPECT_EQ(r.end, CaptureFile::End::kClean);
}

TEST(CaptureFile, MalformedRecordInsideAFrameIsCorruption) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {3, kBuf, 1, 0, 0, 0});
  std::vector<uint8_t> bad(24, 0);
  bad[0] = 1;
  bad[2] = 200;  // declares 200 bytes, only 24 remain in the frame
  b.raw_record(bad);
  const ReadBack r = read_back(b.build());
  EXPECT_EQ(r.records, 1);
  EXPECT_EQ(r.end, CaptureFile::End::kCorrupt);
}

// The executable.

TEST(Cli, DecodesAFile) {
  DecoderRun r = run_decoder(two_blocks().build(), "");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "read(3, 0x7ffd00001000, 1) = 1\nwrite(1, 0x7ffd00001000, 1) = 1\n");
  EXPECT_EQ(r.err, "");
}

TEST(Cli, TruncatedWarnsAndSucceeds) {
  std::string file = two_blocks().build(false);
  file.resize(file.size() - 5);
  DecoderRun r = run_decoder(file, "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "read(3, 0x7ffd00001000, 1) = 1\n");
  EXPECT_EQ(r.err.rfind("etrace-decode: warning: the capture ends inside a block at byte ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("): decoded everything before it (the capture did not finish"), std::string::npos) << r.err;
}

TEST(Cli, CorruptFailsAfterDecodingWhatCameBefore) {
  std::string file = two_blocks().build(false);
  file[file.size() - 1] ^= 0x40;
  DecoderRun r = run_decoder(file, "");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out, "read(3, 0x7ffd00001000, 1) = 1\n");
  EXPECT_NE(r.err.find("corrupt"), std::string::npos) << r.err;
}

TEST(Cli, NotACaptureIsOneSentenceAndExit1) {
  DecoderRun r = run_decoder("hello, world\n", "");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("not an etrace capture"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(Cli, UnknownSyscallSuggestsNames) {
  DecoderRun r = run_decoder(two_blocks().build(), "--syscall opnat");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("'opnat'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("openat"), std::string::npos) << r.err;
}

TEST(Cli, BadFlag) {
  DecoderRun r = run_decoder(two_blocks().build(), "--no-such-flag");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(r.err.empty());
}

TEST(Cli, JsonSyscallFilterAndOutputFile) {
  char path[] = "/tmp/etrace-decode-out-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  DecoderRun r = run_decoder(two_blocks().build(), std::string("--json --syscall write -o ") + path);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::string written = slurp(path);
  unlink(path);
  EXPECT_EQ(written.rfind("{\"kind\":\"syscall\",", 0), 0u) << written;
  EXPECT_NE(written.find("\"syscall\":\"write\""), std::string::npos);
  EXPECT_EQ(written.find("\"syscall\":\"read\""), std::string::npos);
}

TEST(Cli, StackedTimestampFlags) {
  DecoderRun r = run_decoder(two_blocks().build(), "-ttt -T");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "1795316400.000001 read(3, 0x7ffd00001000, 1) = 1 <0.000001>\n"
            "1795316400.000003 write(1, 0x7ffd00001000, 1) = 1 <0.000001>\n");
}

TEST(Cli, StatsFromStandardInput) {
  DecoderRun r = run_decoder(two_blocks().build(), "--stats", /*stdin_input=*/true);
  const std::string& out = r.out;
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(out.find("100.00    0.000002       1.000         2                 1.000       1.000       1.000 total\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("capture: 0 records written, 0 lost\n"), std::string::npos) << out;
}

// Damage anywhere must end in output or a message, never a crash (the
// sanitizer build checks the "never" part).
TEST(CaptureFile, SurvivesAnySingleDamagedByte) {
  CaptureBuilder b;  // few formats: a small file, so every byte can be tried
  b.syscall(kOpenat, "openat").syscall(kExitGroup, "exit_group");
  b.task(0, 100, 100, 1, "cat");
  b.enter(1000, 100, 100, kOpenat, {0xffffffffffffff9cull, kBuf, 0, 0, 0, 0});
  b.exit(2000, 100, 100, kOpenat, -2);
  b.fork(2100, 100, 100, 101, 101);
  b.new_block();
  b.exec(2200, 101, 101, 101, "ls");
  b.enter(3000, 101, 101, kExitGroup, {0, 0, 0, 0, 0, 0});
  b.task_exit(4000, 101, 101, 0, true);
  const std::string good = b.build();
  const std::string expected = decode(good, Mode::kText);
  ASSERT_FALSE(expected.empty());
  size_t identical = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    std::string text = decode(bad, Mode::kText);
    if (text == expected) ++identical;
    decode(bad, Mode::kJson);
  }
  // Padding and unused bytes may change nothing; most bytes matter.
  EXPECT_LT(identical, good.size());
}
