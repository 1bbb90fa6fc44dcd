// Issue 14 item 6: files the decoder accepted though they were damaged, or
// explained badly. Each is read to output or one clear sentence and a
// non-zero exit: a timestamp at the end of time, zeros after a crash, two
// captures end to end, a repeated events block, a directory.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "decode_helpers.h"
#include "decoder_run.h"
#include "format/file_layout.h"

using namespace etrace::test;
using etrace::decode::CaptureFile;

namespace {

constexpr const char* kBothCalls = "read(3, 0x7ffd00001000, 1) = 1\nwrite(1, 0x7ffd00001000, 1) = 1\n";

// Where each block of a well-formed file starts, and its type.
struct BlockAt {
  size_t offset;
  size_t size;  // header, body, padding and trailer
  uint32_t type;
};

std::vector<BlockAt> blocks_of(const std::string& file) {
  std::vector<BlockAt> out;
  for (size_t at = sizeof(etrace::format::FileHeader); at + sizeof(etrace::format::BlockHeader) <= file.size();) {
    etrace::format::BlockHeader h;
    std::memcpy(&h, file.data() + at, sizeof(h));
    const size_t size = sizeof(h) + etrace::format::padded(h.body_size) + etrace::format::kBlockTrailerSize;
    out.push_back({at, size, h.type});
    at += size;
  }
  return out;
}

// The sentence etrace-decode printed about its input, without "etrace-decode: PATH: ".
std::string sentence_of(const DecoderRun& r) {
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  const size_t at = r.err.find("/cap: ");
  return at == std::string::npos ? r.err : r.err.substr(at + 6, r.err.size() - at - 7);
}

}  // namespace

TEST(DamagedCapture, TimestampAtTheEndOfTimeIsHeldThereNotWrapped) {
  // Near 2^63 ns, the clock offset pushes it past what int64_t holds: the
  // sum once wrapped to 1720 (and tripped UBSan); it now stops at 2262.
  auto b = standard_capture();
  b.enter((uint64_t{1} << 63) - 1000, 100, 100, kRead, {3, kBuf, 1, 0, 0, 0});
  b.exit(~uint64_t{0}, 100, 100, kRead, 1);
  const std::string json = decode_json(b);
  EXPECT_NE(json.find("\"ts\":\"2262-04-11T23:47:16.854775807Z\",\"ts_ns\":\"9223372036854775807\","), std::string::npos)
      << json;
  EXPECT_EQ(json.find("1720-"), std::string::npos) << json;
}

TEST(DamagedCapture, WallClockIsHeldAtBothEndsOfItsRange) {
  using etrace::format::wall_clock_ns;
  EXPECT_EQ(wall_clock_ns(1000, 5), 1005);
  EXPECT_EQ(wall_clock_ns(uint64_t{INT64_MAX} + 10, -20), INT64_MAX - 10);
  EXPECT_EQ(wall_clock_ns(~uint64_t{0}, INT64_MAX), INT64_MAX);
  EXPECT_EQ(wall_clock_ns(0, INT64_MIN), INT64_MIN);
}

TEST(DamagedCapture, ZerosAfterTheLastBlockAreCorruptionAtTheirByte) {
  const std::string good = two_blocks().build(false);
  DecoderRun r = run_decoder(good + std::string(8192, '\0'), "");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, kBothCalls);
  EXPECT_EQ(sentence_of(r), "the capture holds zeros from byte " + std::to_string(good.size()) +
                                " where a block should start (zero-filled after a crash?): the file is corrupt; "
                                "decoded everything before it");
}

TEST(DamagedCapture, ZerosShorterThanABlockHeaderAreCorruptionToo) {
  const std::string good = two_blocks().build(false);
  const CaptureFile::End end = [&] {
    std::istringstream in(good + std::string(5, '\0'));
    CaptureFile c(in);
    EXPECT_TRUE(c.open());
    while (c.next_record()) {
    }
    return c.end();
  }();
  EXPECT_EQ(end, CaptureFile::End::kCorrupt);
}

TEST(DamagedCapture, ABlockOfTypeZeroIsCorruption) {
  std::string file = two_blocks().build(false);
  const BlockAt last = blocks_of(file).back();
  std::memset(file.data() + last.offset, 0, sizeof(uint32_t));  // its type
  DecoderRun r = run_decoder(file, "");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "read(3, 0x7ffd00001000, 1) = 1\n");
  EXPECT_EQ(sentence_of(r), "a block at byte " + std::to_string(last.offset) +
                                " has type 0, which no writer uses: the file is corrupt; decoded everything before it");
}

TEST(DamagedCapture, AnEmptyBtfBlockIsCorruption) {
  auto b = two_blocks();
  b.extra_blocks.push_back({static_cast<uint32_t>(etrace::format::BlockType::kBtf), {}});
  DecoderRun r = run_decoder(b.build(), "");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(sentence_of(r).find("the BTF block is empty (block at byte "), std::string::npos) << r.err;
}

TEST(DamagedCapture, ConcatenatedCapturesNameTheSecondOne) {
  const std::string first = two_blocks().build();
  DecoderRun r = run_decoder(first + first, "");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, kBothCalls);
  const std::string at = std::to_string(first.size());
  EXPECT_EQ(sentence_of(r), "a second capture starts at byte " + at +
                                " (captures concatenated? decode each alone: the second is what tail -c +" +
                                std::to_string(first.size() + 1) +
                                " prints of this file); decoded everything before it");
}

TEST(DamagedCapture, ARepeatedEventsBlockIsSkippedAndTheFileIsCorrupt) {
  const std::string good = two_blocks().build();
  const auto blocks = blocks_of(good);
  const auto first = std::find_if(blocks.begin(), blocks.end(), [](const BlockAt& b) { return b.type == 5; });
  ASSERT_NE(first, blocks.end());
  const BlockAt second = *(first + 1);
  ASSERT_EQ(second.type, 5u);
  // The first events block again, right after itself.
  std::string file = good;
  file.insert(second.offset, good.substr(first->offset, first->size));
  DecoderRun r = run_decoder(file, "");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, kBothCalls) << "each call once, and what follows the repeat decoded";
  EXPECT_EQ(sentence_of(r), "the events block at byte " + std::to_string(second.offset) + " repeats the one at byte " +
                                std::to_string(first->offset) + ", and was skipped: the file is corrupt");
}

TEST(DamagedCapture, RepeatedEventsBlocksAreCountedAndTruncationStillSaid) {
  const std::string good = two_blocks().build(false);
  const auto blocks = blocks_of(good);
  const BlockAt last = blocks.back();
  ASSERT_EQ(last.type, 5u);
  const std::string block = good.substr(last.offset, last.size);
  const std::string file = good + block + block + block.substr(0, 20);
  std::istringstream in(file);
  CaptureFile c(in);
  ASSERT_TRUE(c.open());
  int records = 0;
  while (c.next_record()) ++records;
  EXPECT_EQ(records, 4);
  EXPECT_EQ(c.end(), CaptureFile::End::kDamaged);
  EXPECT_EQ(c.message(), "2 events blocks repeat earlier ones (the first at byte " + std::to_string(good.size()) +
                             " repeats the one at byte " + std::to_string(last.offset) +
                             "), and were skipped; the capture ends inside a block at byte " +
                             std::to_string(good.size() + 2 * block.size()) +
                             " (4 of " + std::to_string(block.size() - 16) + " bytes): the file is corrupt");
}

TEST(DamagedCapture, ADirectoryIsNotCalledEmpty) {
  char dir[] = "/tmp/etrace-decode-dir-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string err = std::string(dir) + "/err";
  const int rc = std::system((std::string(ETRACE_DECODE_BIN) + " " + dir + " 2>" + err).c_str());
  const std::string said = slurp(err);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(WEXITSTATUS(rc), 1);
  EXPECT_EQ(said, "etrace-decode: cannot read " + std::string(dir) + ": it is a directory\n");
}
