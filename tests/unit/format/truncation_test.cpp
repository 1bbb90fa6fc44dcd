// A capture cut at every byte offset, as left by a writer that was killed or
// ran out of disk: the reader yields exactly the complete blocks, then says
// where it stopped.
#include <gtest/gtest.h>

#include "format/block_writer.h"
#include "format/event_frame.h"
#include "format/metadata.h"
#include "support.h"

namespace etrace::format {
namespace {

using test::Bytes;

struct Capture {
  std::string file;
  std::vector<uint64_t> block_starts;
  std::vector<uint64_t> block_ends;  // each block's end: where a cut is clean
};

// A small but complete capture: header, metadata, three events blocks, stats.
Capture small_capture() {
  test::TempFile tmp;
  BlockWriter w(tmp.fd(), "small.etrace");
  std::vector<uint64_t> writer_ends;
  auto check = [&](bool ok) {
    EXPECT_TRUE(ok) << w.error();
    writer_ends.push_back(w.bytes_written());
  };
  check(w.write_file_header());
  HostInfo host{"h", "6.1.0", "#1 SMP", "x86_64", 4096, 2};
  check(w.write_block(BlockType::kHost, to_block_body(host)));
  CaptureInfo cap;
  cap.etrace_version = "0.1.0";
  cap.argv = {"etrace-capture", "-p", "1"};
  cap.pids = {1};
  check(w.write_block(BlockType::kCapture, to_block_body(cap)));
  SyscallTable table;
  table.source = "test";
  table.names = {{0, "read"}, {1, "write"}, {59, "execve"}};
  check(w.write_compressed_block(BlockType::kSyscallTable, to_block_body(table)));
  TracepointFormats formats;
  formats.formats["sys_enter_read"] = "name: sys_enter_read\nID: 1\n";
  check(w.write_compressed_block(BlockType::kTracepointFormats, to_block_body(formats)));
  FrameCompressor fc;
  for (uint32_t frame = 0; frame < 3; ++frame) {
    Bytes records;
    uint32_t n = 0;
    for (uint32_t i = 0; i <= frame; ++i, n += 2) {
      test::append_record(records, test::sys_enter(0, 100 * frame + i, 1, {3, 0x1000, 64}));
      test::append_record(records, test::sys_exit(0, 100 * frame + i + 1, 1, 64));
    }
    check(w.write_block(BlockType::kEvents, fc.frame(records, n)));
  }
  CaptureStats stats;
  stats.end_ns = 999;
  stats.stop_reason = "interrupted";
  stats.syscalls[0] = {12, 0};
  check(w.write_block(BlockType::kStats, to_block_body(stats)));

  Capture c;
  c.file = tmp.contents();
  // Walk the framing independently of the reader: header, then blocks of
  // 16 + padded(body_size) + 8 bytes.
  uint64_t off = 24;
  while (off < c.file.size()) {
    uint64_t body_size;
    std::memcpy(&body_size, c.file.data() + off + 8, sizeof(body_size));
    c.block_starts.push_back(off);
    off += 16 + ((body_size + 7) / 8) * 8 + 8;
    c.block_ends.push_back(off);
  }
  EXPECT_EQ(off, c.file.size());
  // The writer's own count agrees with the walk.
  EXPECT_EQ(writer_ends.front(), 24u);
  EXPECT_EQ(std::vector<uint64_t>(writer_ends.begin() + 1, writer_ends.end()), c.block_ends);
  return c;
}

TEST(Truncation, EveryCutYieldsTheCompleteBlocksAndSaysWhereItStopped) {
  const Capture cap = small_capture();
  ASSERT_EQ(cap.block_ends.size(), 8u);  // 4 metadata + 3 events + stats
  const auto whole = test::read_all(cap.file);
  ASSERT_FALSE(whole.open_error);
  ASSERT_EQ(whole.end, ReadEnd::kClean);
  ASSERT_EQ(whole.blocks.size(), 8u);
  for (size_t i = 0; i < whole.blocks.size(); ++i) EXPECT_EQ(whole.blocks[i].offset, cap.block_starts[i]);

  for (size_t cut = 0; cut <= cap.file.size(); ++cut) {
    SCOPED_TRACE("cut at byte " + std::to_string(cut) + " of " + std::to_string(cap.file.size()));
    const auto r = test::read_all(cap.file.substr(0, cut));
    if (cut < 24) {
      ASSERT_TRUE(r.open_error.has_value());
      EXPECT_FALSE(r.open_error->empty());
      // A cut capture is not "not a capture".
      EXPECT_EQ(r.open_error->find("not an etrace capture"), std::string::npos) << *r.open_error;
      if (cut > 0) {
        EXPECT_NE(r.open_error->find("ends inside its file header"), std::string::npos) << *r.open_error;
      }
      continue;
    }
    ASSERT_FALSE(r.open_error) << *r.open_error;
    size_t complete = 0;
    while (complete < cap.block_ends.size() && cap.block_ends[complete] <= cut) ++complete;
    ASSERT_EQ(r.blocks.size(), complete);
    for (size_t i = 0; i < complete; ++i) {
      EXPECT_EQ(r.blocks[i].type, whole.blocks[i].type);
      EXPECT_EQ(r.blocks[i].offset, whole.blocks[i].offset);
      EXPECT_EQ(r.blocks[i].body, whole.blocks[i].body);
    }
    const bool at_boundary = cut == 24 || (complete > 0 && cap.block_ends[complete - 1] == cut);
    if (at_boundary) {
      EXPECT_EQ(r.end, ReadEnd::kClean) << r.message;
      EXPECT_EQ(r.message, "");
    } else {
      EXPECT_EQ(r.end, ReadEnd::kTruncated) << r.message;
      const uint64_t torn = cap.block_starts[complete];
      EXPECT_NE(r.message.find("at byte " + std::to_string(torn)), std::string::npos) << r.message;
    }
  }
}

TEST(Truncation, EventsOfCompleteBlocksStillDecode) {
  const Capture cap = small_capture();
  // Cut in the middle of the third events block: two frames remain readable.
  const uint64_t third_events = cap.block_starts[6];
  const auto r = test::read_all(cap.file.substr(0, third_events + 20));
  ASSERT_EQ(r.blocks.size(), 6u);
  EXPECT_EQ(r.end, ReadEnd::kTruncated);
  uint32_t records = 0;
  for (const auto& b : r.blocks) {
    if (b.type != BlockType::kEvents) continue;
    auto f = open_frame(b.body);
    ASSERT_TRUE(f) << f.error().message;
    RecordCursor cursor(f->records);
    while (cursor.next()) ++records;
    EXPECT_EQ(cursor.error(), "");
  }
  EXPECT_EQ(records, 2u + 4u);
}

TEST(Truncation, NextAfterTheEndKeepsReturningNothing) {
  const Capture cap = small_capture();
  std::istringstream in(cap.file.substr(0, cap.block_ends[0] + 5));
  BlockReader reader(in);
  ASSERT_TRUE(reader.open());
  EXPECT_EQ(reader.end(), ReadEnd::kNotYet);
  ASSERT_TRUE(reader.next());
  EXPECT_EQ(reader.end(), ReadEnd::kNotYet);
  EXPECT_FALSE(reader.next());
  EXPECT_EQ(reader.end(), ReadEnd::kTruncated);
  const std::string message = reader.message();
  EXPECT_FALSE(reader.next());
  EXPECT_EQ(reader.end(), ReadEnd::kTruncated);
  EXPECT_EQ(reader.message(), message);
}

}  // namespace
}  // namespace etrace::format
