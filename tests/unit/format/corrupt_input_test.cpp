// Files that are not captures, captures this version cannot read, and
// captures whose framing is corrupt. Built byte by byte, not by BlockWriter.
#include <gtest/gtest.h>

#include <zstd.h>

#include "format/block_reader.h"
#include "support.h"

namespace etrace::format {
namespace {

using test::Bytes;

std::string as_file(std::initializer_list<Bytes> parts) {
  std::string out;
  for (const auto& p : parts) out.append(p.begin(), p.end());
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- The file header ----

TEST(FileHeader, WrongMagicIsNotACapture) {
  const std::vector<std::string> files = {
      "\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
      "#!/bin/sh\necho this is a script, not a capture\n",
      "P",  // shorter than the magic, and already different
  };
  for (const auto& f : files) {
    auto r = test::read_all(f);
    ASSERT_TRUE(r.open_error);
    EXPECT_TRUE(contains(*r.open_error, "not an etrace capture")) << *r.open_error;
  }
  // One flipped bit in the last magic byte.
  Bytes h = test::file_header();
  h[7] ^= 0x01;
  auto r = test::read_all(as_file({h}));
  ASSERT_TRUE(r.open_error);
  EXPECT_TRUE(contains(*r.open_error, "not an etrace capture")) << *r.open_error;
}

TEST(FileHeader, EmptyInputIsReportedAsEmpty) {
  auto r = test::read_all(std::string());
  ASSERT_TRUE(r.open_error);
  EXPECT_TRUE(contains(*r.open_error, "empty")) << *r.open_error;
}

TEST(FileHeader, NewerMajorVersionIsRefusedNamingBothVersions) {
  auto r = test::read_all(as_file({test::file_header(2, 7)}));
  ASSERT_TRUE(r.open_error);
  EXPECT_TRUE(contains(*r.open_error, "2.7")) << *r.open_error;
  EXPECT_TRUE(contains(*r.open_error, std::to_string(kMajorVersion) + "." + std::to_string(kMinorVersion)))
      << *r.open_error;
}

TEST(FileHeader, NewerMinorVersionIsRead) {
  const Bytes body = {'{', '}'};
  auto r = test::read_all(as_file({test::file_header(1, 9), test::framed_block(1, 0, body)}));
  ASSERT_FALSE(r.open_error) << *r.open_error;
  ASSERT_EQ(r.blocks.size(), 1u);
  EXPECT_EQ(r.blocks[0].body, body);
}

TEST(FileHeader, VersionZeroIsRefused) {
  auto r = test::read_all(as_file({test::file_header(0, 1)}));
  ASSERT_TRUE(r.open_error);
  EXPECT_TRUE(contains(*r.open_error, "version 0")) << *r.open_error;
}

TEST(FileHeader, OtherByteOrderIsRefused) {
  // What a big-endian writer would produce: every field byte-swapped.
  Bytes h = {0x89, 'E', 'T', 'R', 'C', '\r', '\n', 0x1a, 0x1a, 0x2b, 0x3c, 0x4d, 0x00, 0x01, 0x00, 0x00,
             0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00};
  auto r = test::read_all(as_file({h}));
  ASSERT_TRUE(r.open_error);
  EXPECT_TRUE(contains(*r.open_error, "byte order")) << *r.open_error;
}

TEST(FileHeader, ImpossibleHeaderSizesAreRefused) {
  for (uint32_t size : {0u, 23u, 4097u, 0xffffffffu}) {
    auto r = test::read_all(as_file({test::file_header(1, 0, 0x1a2b3c4d, size)}));
    ASSERT_TRUE(r.open_error) << size;
    EXPECT_TRUE(contains(*r.open_error, std::to_string(size))) << *r.open_error;
  }
}

TEST(FileHeader, LongerHeaderOfANewerMinorIsSkipped) {
  // A 1.1 writer appended 40 bytes to the header; blocks start after them.
  Bytes h = test::file_header(1, 1, 0x1a2b3c4d, 64);
  h.insert(h.end(), 40, 0xee);
  const Bytes body = {9, 8, 7};
  auto r = test::read_all(as_file({h, test::framed_block(3, 0, body)}));
  ASSERT_FALSE(r.open_error) << *r.open_error;
  ASSERT_EQ(r.blocks.size(), 1u);
  EXPECT_EQ(r.blocks[0].offset, 64u);
  EXPECT_EQ(r.blocks[0].body, body);
  EXPECT_EQ(r.end, ReadEnd::kClean);
}

TEST(FileHeader, CutInsideALongerHeaderIsAnError) {
  Bytes h = test::file_header(1, 1, 0x1a2b3c4d, 64);
  h.insert(h.end(), 10, 0xee);  // 30 of the 40 extra bytes missing
  auto r = test::read_all(as_file({h}));
  ASSERT_TRUE(r.open_error);
  EXPECT_TRUE(contains(*r.open_error, "ends inside its file header")) << *r.open_error;
}

// ---- Block framing ----

TEST(BlockFraming, HugeBodyLengthIsCorruptWithoutAllocatingIt) {
  Bytes block;
  test::put(block, uint32_t{5});
  test::put(block, uint32_t{0});
  test::put(block, uint64_t{1} << 40);
  block.insert(block.end(), 64, 0);
  const Bytes ok = test::framed_block(1, 0, Bytes{'{', '}'});
  const std::string file = as_file({test::file_header(), ok, block});
  test::AllocationProbe probe;
  auto r = test::read_all(file);
  EXPECT_LT(probe.largest(), size_t{4} << 20);
  ASSERT_FALSE(r.open_error);
  ASSERT_EQ(r.blocks.size(), 1u);  // the good block before it is still read
  EXPECT_EQ(r.end, ReadEnd::kCorrupt);
  const uint64_t at = 24 + ok.size();
  EXPECT_TRUE(contains(r.message, "at byte " + std::to_string(at))) << r.message;
  EXPECT_TRUE(contains(r.message, "corrupt")) << r.message;
  EXPECT_TRUE(contains(r.message, std::to_string(uint64_t{1} << 40))) << r.message;
}

TEST(BlockFraming, LargestAllowedLengthInATinyFileIsTruncatedWithoutAllocatingIt) {
  // 1 GiB declared, 100 bytes present: the reader must not reserve the gigabyte.
  Bytes block;
  test::put(block, uint32_t{5});
  test::put(block, uint32_t{0});
  test::put(block, kMaxBlockBody);
  block.insert(block.end(), 100, 0x55);
  test::AllocationProbe probe;
  auto r = test::read_all(as_file({test::file_header(), block}));
  EXPECT_LT(probe.largest(), size_t{4} << 20);
  EXPECT_EQ(r.blocks.size(), 0u);
  EXPECT_EQ(r.end, ReadEnd::kTruncated);
  EXPECT_TRUE(contains(r.message, "at byte 24")) << r.message;
}

TEST(BlockFraming, TrailerThatDisagreesWithTheHeaderIsCorrupt) {
  const Bytes body = {1, 2, 3, 4, 5};
  for (uint64_t trailer : {uint64_t{4}, uint64_t{6}, uint64_t{0}, ~uint64_t{0}}) {
    auto r = test::read_all(as_file({test::file_header(), test::framed_block(1, 0, body),
                                     test::framed_block_with_trailer(2, 0, body, trailer),
                                     test::framed_block(6, 0, body)}));
    ASSERT_FALSE(r.open_error);
    EXPECT_EQ(r.blocks.size(), 1u) << trailer;  // nothing after the corrupt block
    EXPECT_EQ(r.end, ReadEnd::kCorrupt);
    EXPECT_TRUE(contains(r.message, "trailer")) << r.message;
    EXPECT_TRUE(contains(r.message, "at byte 56")) << r.message;  // 24 + 32
  }
}

TEST(BlockFraming, BodyLongerThanDeclaredIsCaughtByTheTrailer) {
  // A block whose header says 8 bytes but 16 follow: the trailer slot holds body bytes.
  Bytes block;
  test::put(block, uint32_t{1});
  test::put(block, uint32_t{0});
  test::put(block, uint64_t{8});
  for (int i = 0; i < 16; ++i) block.push_back(0x41);
  test::put(block, uint64_t{16});
  auto r = test::read_all(as_file({test::file_header(), block}));
  EXPECT_EQ(r.blocks.size(), 0u);
  EXPECT_EQ(r.end, ReadEnd::kCorrupt) << r.message;
}

TEST(BlockFraming, CompressedFlagOnGarbageIsCorrupt) {
  const Bytes garbage = test::bytes_of("this is not a zstd frame at all");
  auto r = test::read_all(as_file({test::file_header(), test::framed_block(4, kBlockZstd, garbage)}));
  EXPECT_EQ(r.blocks.size(), 0u);
  EXPECT_EQ(r.end, ReadEnd::kCorrupt);
  EXPECT_TRUE(contains(r.message, "at byte 24")) << r.message;
}

TEST(BlockFraming, CompressedBlockWithDamagedDataIsCorrupt) {
  std::string text(4000, 'x');
  for (size_t i = 0; i < text.size(); i += 7) text[i] = static_cast<char>('a' + i % 26);
  Bytes z(ZSTD_compressBound(text.size()));
  z.resize(ZSTD_compress(z.data(), z.size(), text.data(), text.size(), 3));
  ASSERT_GT(z.size(), 20u);
  // Damage the middle of the compressed data (zstd frames carry a checksum
  // only when asked, so the damage must make decoding itself fail or the
  // size disagree; cutting the frame short does both).
  Bytes cut(z.begin(), z.begin() + static_cast<long>(z.size() / 2));
  auto r = test::read_all(as_file({test::file_header(), test::framed_block(4, kBlockZstd, cut)}));
  EXPECT_EQ(r.blocks.size(), 0u);
  EXPECT_EQ(r.end, ReadEnd::kCorrupt) << r.message;
}

// A zstd frame header (single segment, 8-byte content size) claiming `size`
// bytes, followed by one empty raw block that ends the frame.
Bytes lying_zstd_frame(uint64_t size) {
  Bytes f = {0x28, 0xb5, 0x2f, 0xfd, 0xe0};
  test::put(f, size);
  f.insert(f.end(), {0x01, 0x00, 0x00});  // last block, raw, 0 bytes
  return f;
}

TEST(BlockFraming, CompressedBlockClaimingAHugeSizeIsRefusedWithoutAllocatingIt) {
  for (uint64_t claimed : {kMaxInflatedBody + 1, kMaxInflatedBody, uint64_t{100} << 20}) {
    SCOPED_TRACE(claimed);
    const Bytes f = lying_zstd_frame(claimed);
    // The frame is what it claims to be, as far as zstd's header parser is concerned.
    ASSERT_EQ(ZSTD_getFrameContentSize(f.data(), f.size()), claimed);
    test::AllocationProbe probe;
    auto r = test::read_all(as_file({test::file_header(), test::framed_block(4, kBlockZstd, f)}));
    EXPECT_LT(probe.largest(), size_t{4} << 20);
    EXPECT_EQ(r.blocks.size(), 0u);
    EXPECT_EQ(r.end, ReadEnd::kCorrupt) << r.message;
  }
}

TEST(BlockFraming, CutBlockHeaderIsTruncated) {
  Bytes partial_header = {1, 0, 0, 0, 0, 0};
  auto r = test::read_all(as_file({test::file_header(), partial_header}));
  EXPECT_EQ(r.end, ReadEnd::kTruncated);
  EXPECT_TRUE(contains(r.message, "at byte 24")) << r.message;
}

}  // namespace
}  // namespace etrace::format
