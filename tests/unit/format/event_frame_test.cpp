// Events bodies that lie, and records that lie, must give an error, never a
// crash or a giant allocation.
#include <gtest/gtest.h>

#include <zstd.h>

#include "format/event_frame.h"
#include "support.h"

namespace etrace::format {
namespace {

using etrace::test::error_of;

using test::Bytes;

Bytes events_body(uint64_t raw_size, uint32_t count, uint32_t compression, std::span<const uint8_t> payload) {
  Bytes b;
  test::put(b, raw_size);
  test::put(b, count);
  test::put(b, compression);
  test::put_bytes(b, payload);
  return b;
}

Bytes zstd_of(std::span<const uint8_t> raw) {
  Bytes z(ZSTD_compressBound(raw.size()));
  z.resize(ZSTD_compress(z.data(), z.size(), raw.data(), raw.size(), 1));
  return z;
}

Bytes two_records() {
  Bytes r;
  test::append_record(r, test::sys_enter(1, 10, 5, {1, 2, 3}));
  test::append_record(r, test::sys_exit(1, 11, 5, 3));
  return r;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(OpenFrame, ReadsAFrameBuiltByHand) {
  // Independent of FrameCompressor: plain zstd, and no compression at all.
  const Bytes raw = two_records();
  auto z = open_frame(events_body(raw.size(), 2, 1, zstd_of(raw)));
  ASSERT_TRUE(z) << z.error().message;
  EXPECT_EQ(z->records, raw);
  EXPECT_EQ(z->record_count, 2u);
  auto plain = open_frame(events_body(raw.size(), 2, 0, raw));
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->records, raw);
}

TEST(OpenFrame, FrameCompressorWritesTheDocumentedHeader) {
  const Bytes raw = two_records();
  FrameCompressor fc;
  const Bytes body = fc.frame(raw, 2);
  ASSERT_GE(body.size(), 16u);
  EventsHeader eh;
  std::memcpy(&eh, body.data(), sizeof(eh));
  EXPECT_EQ(eh.raw_size, raw.size());
  EXPECT_EQ(eh.record_count, 2u);
  EXPECT_EQ(eh.compression, 1u);
  // The rest is one plain zstd frame of the records.
  Bytes out(raw.size());
  size_t n = ZSTD_decompress(out.data(), out.size(), body.data() + 16, body.size() - 16);
  ASSERT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
  EXPECT_EQ(out, raw);
}

TEST(OpenFrame, ShorterThanItsHeader) {
  for (size_t n : {0, 1, 15}) {
    Bytes b(n, 0);
    EXPECT_TRUE(contains(error_of(open_frame(b)), "shorter than its header"));
  }
}

TEST(OpenFrame, BadZstdPayload) {
  const Bytes garbage = test::bytes_of("definitely not zstd");
  EXPECT_TRUE(contains(error_of(open_frame(events_body(100, 1, 1, garbage))), "does not decompress"));
  EXPECT_FALSE(error_of(open_frame(events_body(100, 1, 1, {}))).empty());
  // A real frame cut in half.
  const Bytes z = zstd_of(two_records());
  EXPECT_FALSE(error_of(open_frame(events_body(two_records().size(), 2, 1, std::span(z).first(z.size() / 2)))).empty());
}

TEST(OpenFrame, RawSizeThatLies) {
  const Bytes raw = two_records();
  const Bytes z = zstd_of(raw);
  for (uint64_t lie : {raw.size() - 1, raw.size() + 1, uint64_t{0}, raw.size() * 2}) {
    EXPECT_TRUE(contains(error_of(open_frame(events_body(lie, 2, 1, z))), "does not decompress")) << lie;
  }
  // Uncompressed: the payload must be exactly raw_size.
  for (uint64_t lie : {raw.size() - 1, raw.size() + 1}) {
    EXPECT_TRUE(contains(error_of(open_frame(events_body(lie, 2, 0, raw))), "does not match")) << lie;
  }
}

TEST(OpenFrame, RawSizeLieDoesNotAllocateIt) {
  const Bytes z = zstd_of(two_records());
  test::AllocationProbe probe;
  // The largest size a frame may declare, for a payload of a few dozen bytes.
  EXPECT_FALSE(open_frame(events_body(kMaxFrameRaw, 2, 1, z)));
  EXPECT_FALSE(open_frame(events_body(kMaxFrameRaw, 2, 0, z)));
  EXPECT_LT(probe.largest(), size_t{4} << 20);
}

TEST(OpenFrame, RawSizeOverTheLimit) {
  EXPECT_TRUE(contains(error_of(open_frame(events_body(kMaxFrameRaw + 1, 1, 1, zstd_of(two_records())))), std::to_string(kMaxFrameRaw + 1)));
  EXPECT_FALSE(open_frame(events_body(~uint64_t{0}, 1, 0, {})));
}

TEST(OpenFrame, UnknownCompression) {
  const Bytes raw = two_records();
  EXPECT_TRUE(contains(error_of(open_frame(events_body(raw.size(), 2, 7, raw))), "unknown compression 7"));
  EXPECT_TRUE(contains(error_of(open_frame(events_body(raw.size(), 2, 0xffffffff, raw))), "unknown compression 4294967295"));
}

// ---- RecordCursor ----

Bytes record_with_size(uint16_t size, uint16_t type = ETRACE_REC_SYS_EXIT) {
  const etrace_header h = test::record_header(type, size, 0, 0, 1, 2, 2);
  Bytes b(sizeof(h));
  std::memcpy(b.data(), &h, sizeof(h));
  return b;
}

std::vector<RecordView> drain(RecordCursor& c) {
  std::vector<RecordView> out;
  while (auto v = c.next()) out.push_back(*v);
  return out;
}

TEST(RecordCursor, ZeroLengthRecordIsAnError) {
  const Bytes b = record_with_size(0);
  RecordCursor c(b);
  EXPECT_TRUE(drain(c).empty());
  EXPECT_TRUE(contains(c.error(), "impossible size (0 bytes)")) << c.error();
}

TEST(RecordCursor, SizeSmallerThanTheHeaderIsAnError) {
  for (uint16_t size : {1, 8, 23}) {
    Bytes b = record_with_size(size);
    b.resize(64, 0);
    RecordCursor c(b);
    EXPECT_TRUE(drain(c).empty()) << size;
    EXPECT_TRUE(contains(c.error(), "(" + std::to_string(size) + " bytes)")) << c.error();
  }
}

TEST(RecordCursor, SizePastTheEndIsAnError) {
  Bytes b = record_with_size(32);  // a sys_exit's size, but only the header is there
  RecordCursor c(b);
  EXPECT_TRUE(drain(c).empty());
  EXPECT_TRUE(contains(c.error(), "32 bytes")) << c.error();
  Bytes max = record_with_size(0xffff);
  max.resize(1000, 0);
  RecordCursor c2(max);
  EXPECT_TRUE(drain(c2).empty());
  EXPECT_FALSE(c2.error().empty());
}

TEST(RecordCursor, TrailingBytesShorterThanAHeaderAreAnError) {
  Bytes b = two_records();
  const size_t good = b.size();
  b.insert(b.end(), 10, 0);
  RecordCursor c(b);
  auto got = drain(c);
  EXPECT_EQ(got.size(), 2u);  // the good records come first
  EXPECT_TRUE(contains(c.error(), "offset " + std::to_string(good))) << c.error();
  EXPECT_TRUE(contains(c.error(), "cut short")) << c.error();
}

TEST(RecordCursor, ErrorNamesTheOffsetAndStopsForGood) {
  Bytes b = two_records();  // 72 + 32 bytes
  const Bytes bad = record_with_size(4);
  b.insert(b.end(), bad.begin(), bad.end());
  test::append_record(b, test::sys_exit(1, 12, 5, 0));  // unreachable after the bad one
  RecordCursor c(b);
  EXPECT_EQ(drain(c).size(), 2u);
  EXPECT_TRUE(contains(c.error(), "offset 104")) << c.error();
  EXPECT_FALSE(c.next());
  EXPECT_FALSE(c.next());
}

TEST(RecordCursor, LargerRecordsOfNewerWritersAreSkippedWhole) {
  // A sys_exit with 8 extra trailing bytes (a field added later): the cursor
  // hands back all 40 bytes and moves past them.
  Bytes b;
  etrace_sys_exit x = test::sys_exit(3, 50, 9, -2);
  x.h.size = sizeof(x) + 8;
  test::put(b, x);
  b.insert(b.end(), 8, 0xab);
  test::append_record(b, test::task(51, 9, 1, "cat"));
  b.push_back(0);  // and an unknown record type with an odd size
  RecordCursor c(b);
  auto got = drain(c);
  ASSERT_EQ(got.size(), 2u) << c.error();
  EXPECT_EQ(got[0].type, ETRACE_REC_SYS_EXIT);
  EXPECT_EQ(got[0].bytes.size(), 40u);
  EXPECT_EQ(got[1].type, ETRACE_REC_TASK);
  EXPECT_EQ(got[1].bytes.size(), 48u);
  EXPECT_FALSE(c.error().empty());  // the lone trailing byte
}

TEST(RecordCursor, UnknownRecordTypeIsReturnedForTheCallerToSkip) {
  Bytes b = record_with_size(24, 0x99);
  test::append_record(b, test::sys_exit(1, 11, 5, 3));
  RecordCursor c(b);
  auto got = drain(c);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].type, 0x99);
  EXPECT_EQ(got[0].bytes.size(), 24u);
  EXPECT_EQ(got[1].type, ETRACE_REC_SYS_EXIT);
  EXPECT_EQ(c.error(), "");
}

}  // namespace
}  // namespace etrace::format
