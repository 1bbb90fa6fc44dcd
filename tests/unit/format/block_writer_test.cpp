// BlockWriter: the exact bytes it puts on disk, and how it fails.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "format/block_writer.h"
#include "support.h"

namespace etrace::format {
namespace {

using test::Bytes;

TEST(BlockWriterLayout, FileHeaderIsTheDocumentedTwentyFourBytes) {
  test::TempFile file;
  BlockWriter w(file.fd(), "t.etrace");
  ASSERT_TRUE(w.write_file_header());
  const std::string got = file.contents();
  const Bytes want = {0x89, 'E', 'T', 'R', 'C', '\r', '\n', 0x1a,  // magic
                      0x4d, 0x3c, 0x2b, 0x1a,                      // byte-order mark, little-endian
                      0x01, 0x00, 0x04, 0x00,                      // major 1, minor 4
                      0x18, 0x00, 0x00, 0x00,                      // header size 24
                      0x00, 0x00, 0x00, 0x00};                     // flags
  EXPECT_EQ(Bytes(got.begin(), got.end()), want);
  EXPECT_EQ(w.bytes_written(), 24u);
}

// Bodies of every length around the 8-byte alignment: header, body, zero
// padding, repeated length.
class BlockWriterPadding : public ::testing::TestWithParam<size_t> {};

TEST_P(BlockWriterPadding, BlockIsHeaderBodyZeroPaddingTrailer) {
  const size_t n = GetParam();
  Bytes body(n);
  for (size_t i = 0; i < n; ++i) body[i] = static_cast<uint8_t>(0xa0 + i);
  test::TempFile file;
  BlockWriter w(file.fd(), "t.etrace");
  ASSERT_TRUE(w.write_block(BlockType::kCapture, body));
  const std::string got = file.contents();

  Bytes want = {2, 0, 0, 0, 0, 0, 0, 0};  // type 2, flags 0
  want.push_back(static_cast<uint8_t>(n));
  want.insert(want.end(), 7, 0);  // body_size, 64-bit little-endian
  want.insert(want.end(), body.begin(), body.end());
  const size_t pad = (8 - n % 8) % 8;
  want.insert(want.end(), pad, 0);
  want.push_back(static_cast<uint8_t>(n));
  want.insert(want.end(), 7, 0);  // trailer
  EXPECT_EQ(Bytes(got.begin(), got.end()), want);
  EXPECT_EQ(got.size() % 8, 0u);
  EXPECT_EQ(w.bytes_written(), got.size());
  // And the independent builder used by the reader tests agrees.
  EXPECT_EQ(want, test::framed_block(2, 0, body));
}

INSTANTIATE_TEST_SUITE_P(Sizes, BlockWriterPadding, ::testing::Values(0, 1, 7, 8, 9, 15, 16, 17));

TEST(BlockWriterLayout, HeadAndBodyAreConcatenatedInOneBlock) {
  test::TempFile file;
  BlockWriter w(file.fd(), "t.etrace");
  const Bytes head = {1, 2, 3};
  const Bytes body = {4, 5, 6, 7, 8};
  ASSERT_TRUE(w.write_block(BlockType::kEvents, head, body));
  const std::string got = file.contents();
  EXPECT_EQ(Bytes(got.begin(), got.end()), test::framed_block(5, 0, Bytes{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(BlockWriterFailure, FullDiskIsReportedAndLaterWritesRefused) {
  int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "/dev/full is not available here";
  BlockWriter w(fd, "capture.etrace");
  EXPECT_FALSE(w.failed());
  EXPECT_EQ(w.error(), "");
  EXPECT_FALSE(w.write_file_header());
  EXPECT_TRUE(w.failed());
  EXPECT_NE(w.error().find("full"), std::string::npos) << w.error();
  EXPECT_NE(w.error().find("capture.etrace"), std::string::npos) << w.error();
  EXPECT_EQ(w.bytes_written(), 0u);
  const std::string first = w.error();

  // Every later write is refused and the first error is kept.
  const Bytes body = {1, 2, 3};
  EXPECT_FALSE(w.write_block(BlockType::kHost, body));
  EXPECT_FALSE(w.write_block(BlockType::kEvents, body, body));
  EXPECT_FALSE(w.write_compressed_block(BlockType::kTracepointFormats, body));
  EXPECT_FALSE(w.write_file_header());
  EXPECT_EQ(w.error(), first);
  EXPECT_EQ(w.bytes_written(), 0u);
  ::close(fd);
}

TEST(BlockWriterFailure, RefusesToWriteAfterAFailureEvenIfTheFdRecovers) {
  // Fail on a read-only descriptor, then check that nothing reaches it later
  // although writes to /dev/null would succeed.
  int ro = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(ro, 0);
  test::TempFile file;
  BlockWriter w(ro, "out.etrace");
  EXPECT_FALSE(w.write_file_header());
  EXPECT_TRUE(w.failed());
  EXPECT_NE(w.error().find("cannot write out.etrace"), std::string::npos) << w.error();
  EXPECT_EQ(w.error().find("full"), std::string::npos) << w.error();  // not a full disk
  ::close(ro);
  EXPECT_FALSE(w.write_block(BlockType::kHost, Bytes{1}));
  EXPECT_EQ(w.bytes_written(), 0u);
}

TEST(BlockWriterFailure, OversizedBlockIsRefusedWithoutWriting) {
  // A span of more than kMaxBlockBody bytes, reserved but never touched.
  const size_t size = kMaxBlockBody + 1;
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) GTEST_SKIP() << "cannot reserve address space";
  test::TempFile file;
  BlockWriter w(file.fd(), "t.etrace");
  EXPECT_FALSE(w.write_block(BlockType::kEvents, std::span<const uint8_t>(static_cast<const uint8_t*>(p), size)));
  EXPECT_TRUE(w.failed());
  EXPECT_NE(w.error().find(std::to_string(size)), std::string::npos) << w.error();
  EXPECT_EQ(file.contents().size(), 0u);
  ::munmap(p, size);
}

}  // namespace
}  // namespace etrace::format
