// Writer -> reader round trips of every block type, through a real file
// written by BlockWriter and read back with std::ifstream.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <thread>

#include "format/block_writer.h"
#include "format/event_frame.h"
#include "format/metadata.h"
#include "support.h"

namespace etrace::format {
namespace {

using test::Bytes;

HostInfo sample_host() {
  HostInfo h;
  h.hostname = "build-07.example";
  h.kernel_release = "6.1.0-18-amd64";
  h.kernel_version = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)";
  h.machine = "x86_64";
  h.page_size = 4096;
  h.cpus = 12;
  return h;
}

CaptureInfo sample_capture() {
  CaptureInfo c;
  c.etrace_version = "0.1.0";
  c.argv = {"etrace-capture", "-o", "out dir/trace.etrace", "--", "ls", "-l"};
  c.realtime_offset_ns = -1234567890123;  // negative: must keep its sign
  c.start_ns = 18446744073709551000ull;   // near the top of uint64
  c.pids = {1, 4294967295u, 4242};
  c.comms = {"nginx", "caf\xc3\xa9"};     // UTF-8 survives
  c.syscalls = {"openat", "read", "%file"};
  c.command = {"ls", "-l", ""};           // an empty argument is kept
  c.follow = false;                       // not the default
  c.buffer_bytes = 64ull << 20;
  return c;
}

SyscallTable sample_table() {
  SyscallTable t;
  t.source = "/sys/kernel/tracing/events/syscalls";
  t.names = {{0, "read"}, {1, "write"}, {4, "stat"}, {257, "openat"}, {435, "clone3"}};
  t.events = {{0, "read"}, {4, "newstat"}, {257, "openat"}};  // clone3 and write: none
  return t;
}

TracepointFormats sample_formats() {
  TracepointFormats f;
  f.formats["sys_enter_openat"] =
      "name: sys_enter_openat\nID: 633\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
      "\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n\nprint fmt: \"dfd: 0x%08lx\", ((unsigned long)(REC->dfd))\n";
  f.formats["sys_exit_openat"] = "name: sys_exit_openat\nID: 632\n";
  // Large and repetitive, so that compression really shrinks it.
  std::string big;
  for (int i = 0; i < 400; ++i) big += "\tfield:long arg" + std::to_string(i) + ";\toffset:" + std::to_string(i * 8) + ";\n";
  f.formats["sys_enter_big"] = big;
  return f;
}

CaptureStats sample_stats() {
  CaptureStats s;
  s.end_ns = 987654321012345;
  s.stop_reason = "the traced command exited";
  s.syscalls[0] = {100, 3};
  s.syscalls[257] = {40, 0};
  s.syscalls[1023] = {2, 9};
  s.process_records = {7, 1};
  s.cpus[0] = {3, 1000, 2000};
  s.cpus[5] = {9, 5000, 9000};
  s.command_status = 256;  // exit code 1
  return s;
}

// Records of a short program's life, as the BPF side writes them.
Bytes sample_records(uint32_t& count) {
  Bytes r;
  count = 0;
  auto add = [&](const auto& rec) {
    test::append_record(r, rec);
    ++count;
  };
  add(test::task(1000, 4242, 1, "bash"));
  add(test::fork_record(1100, 4242, 4243));
  add(test::exec_record(1200, 4243, 4243, "ls"));
  add(test::sys_enter(257, 1300, 4243, {0xffffff9c, 0x7ffd1234, 0x80000, 0, 0, 0}));
  add(test::sys_exit(257, 1310, 4243, 3));
  add(test::sys_enter(0, 1400, 4243, {3, 0x7ffd0000, 4096}));
  add(test::sys_exit(0, 1410, 4243, -11));  // -EAGAIN
  add(test::exit_record(1500, 4243, 1 << 8, true));
  return r;
}

class RoundTrip : public ::testing::Test {
 protected:
  // Reads the temp file back through std::ifstream.
  test::ReadAll read_back() {
    std::ifstream in(file_.path(), std::ios::binary);
    return test::read_all(in);
  }
  test::TempFile file_;
  BlockWriter writer_{file_.fd(), "trace.etrace"};
};

TEST_F(RoundTrip, EveryBlockTypeSurvivesWithEveryField) {
  const HostInfo host = sample_host();
  const CaptureInfo cap = sample_capture();
  const SyscallTable table = sample_table();
  const TracepointFormats formats = sample_formats();
  const CaptureStats stats = sample_stats();
  uint32_t count = 0;
  const Bytes records = sample_records(count);
  FrameCompressor compressor;

  ASSERT_TRUE(writer_.write_file_header());
  ASSERT_TRUE(writer_.write_block(BlockType::kHost, to_block_body(host)));
  ASSERT_TRUE(writer_.write_block(BlockType::kCapture, to_block_body(cap)));
  ASSERT_TRUE(writer_.write_compressed_block(BlockType::kSyscallTable, to_block_body(table)));
  ASSERT_TRUE(writer_.write_compressed_block(BlockType::kTracepointFormats, to_block_body(formats)));
  ASSERT_TRUE(writer_.write_block(BlockType::kEvents, compressor.frame(records, count)));
  ASSERT_TRUE(writer_.write_block(BlockType::kStats, to_block_body(stats)));
  ASSERT_FALSE(writer_.failed()) << writer_.error();

  auto r = read_back();
  ASSERT_FALSE(r.open_error) << *r.open_error;
  EXPECT_EQ(r.end, ReadEnd::kClean) << r.message;
  EXPECT_EQ(r.message, "");
  ASSERT_EQ(r.blocks.size(), 6u);
  EXPECT_EQ(r.blocks[0].offset, 24u);  // right after the file header
  EXPECT_EQ(writer_.bytes_written(), file_.contents().size());
  ASSERT_EQ(r.blocks[0].type, BlockType::kHost);
  auto h = host_info_from(r.blocks[0].body);
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->hostname, host.hostname);
  EXPECT_EQ(h->kernel_release, host.kernel_release);
  EXPECT_EQ(h->kernel_version, host.kernel_version);
  EXPECT_EQ(h->machine, host.machine);
  EXPECT_EQ(h->page_size, 4096u);
  EXPECT_EQ(h->cpus, 12u);

  ASSERT_EQ(r.blocks[1].type, BlockType::kCapture);
  auto c = capture_info_from(r.blocks[1].body);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->etrace_version, "0.1.0");
  EXPECT_EQ(c->argv, cap.argv);
  EXPECT_EQ(c->realtime_offset_ns, -1234567890123);
  EXPECT_EQ(c->start_ns, 18446744073709551000ull);
  EXPECT_EQ(c->pids, (std::vector<uint32_t>{1, 4294967295u, 4242}));
  EXPECT_EQ(c->comms, cap.comms);
  EXPECT_EQ(c->syscalls, cap.syscalls);
  EXPECT_EQ(c->command, cap.command);
  EXPECT_FALSE(c->follow);
  EXPECT_EQ(c->buffer_bytes, 64ull << 20);

  ASSERT_EQ(r.blocks[2].type, BlockType::kSyscallTable);
  auto t = syscall_table_from(r.blocks[2].body);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->source, table.source);
  EXPECT_EQ(t->names, table.names);
  EXPECT_EQ(t->events, table.events);

  ASSERT_EQ(r.blocks[3].type, BlockType::kTracepointFormats);
  auto f = tracepoint_formats_from(r.blocks[3].body);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->formats, formats.formats);

  ASSERT_EQ(r.blocks[4].type, BlockType::kEvents);
  auto frame = open_frame(r.blocks[4].body);
  ASSERT_TRUE(frame) << frame.error().message;
  EXPECT_EQ(frame->record_count, 8u);
  EXPECT_EQ(frame->records, records);

  ASSERT_EQ(r.blocks[5].type, BlockType::kStats);
  auto s = capture_stats_from(r.blocks[5].body);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->end_ns, stats.end_ns);
  EXPECT_EQ(s->stop_reason, stats.stop_reason);
  ASSERT_EQ(s->syscalls.size(), 3u);
  EXPECT_EQ(s->syscalls.at(0).written, 100u);
  EXPECT_EQ(s->syscalls.at(0).lost, 3u);
  EXPECT_EQ(s->syscalls.at(257).written, 40u);
  EXPECT_EQ(s->syscalls.at(1023).lost, 9u);
  EXPECT_EQ(s->process_records.written, 7u);
  EXPECT_EQ(s->process_records.lost, 1u);
  ASSERT_EQ(s->cpus.size(), 2u);
  EXPECT_EQ(s->cpus.at(5).lost, 9u);
  EXPECT_EQ(s->cpus.at(5).first_ns, 5000u);
  EXPECT_EQ(s->cpus.at(5).last_ns, 9000u);
  EXPECT_EQ(s->cpus.at(0).first_ns, 1000u);
  EXPECT_EQ(s->command_status, 256);
  EXPECT_EQ(s->total_written(), 100u + 40u + 2u + 7u);
  EXPECT_EQ(s->total_lost(), 3u + 0u + 9u + 1u);
}

TEST_F(RoundTrip, CompressedBlockIsSmallerOnDiskAndFlagged) {
  const Bytes body = to_block_body(sample_formats());
  ASSERT_TRUE(writer_.write_file_header());
  ASSERT_TRUE(writer_.write_compressed_block(BlockType::kTracepointFormats, body));
  const std::string file = file_.contents();
  ASSERT_GE(file.size(), 24u + 16u);
  BlockHeader bh;
  std::memcpy(&bh, file.data() + 24, sizeof(bh));
  EXPECT_EQ(bh.type, 4u);
  EXPECT_EQ(bh.flags & kBlockZstd, kBlockZstd);
  EXPECT_LT(bh.body_size, body.size() / 4);  // the repetitive text compresses well
  // The reader hands back the inflated body, not the zstd frame.
  auto r = read_back();
  ASSERT_EQ(r.blocks.size(), 1u);
  EXPECT_EQ(r.blocks[0].body, body);
  EXPECT_EQ(r.end, ReadEnd::kClean);
}

TEST_F(RoundTrip, EmptyCompressedBlockReadsBackEmpty) {
  ASSERT_TRUE(writer_.write_file_header());
  ASSERT_TRUE(writer_.write_compressed_block(BlockType::kTracepointFormats, {}));
  auto r = read_back();
  ASSERT_EQ(r.blocks.size(), 1u);
  EXPECT_TRUE(r.blocks[0].body.empty());
  EXPECT_EQ(r.end, ReadEnd::kClean) << r.message;
}

TEST_F(RoundTrip, UnknownBlockTypeIsReturnedAndCanBeSkipped) {
  const Bytes future = test::bytes_of("a block from a newer writer, 45 bytes long..");
  ASSERT_TRUE(writer_.write_file_header());
  ASSERT_TRUE(writer_.write_block(BlockType::kHost, to_block_body(sample_host())));
  ASSERT_TRUE(writer_.write_block(static_cast<BlockType>(0x7e57), future));
  ASSERT_TRUE(writer_.write_block(static_cast<BlockType>(0xffffffff), {}));
  ASSERT_TRUE(writer_.write_block(BlockType::kStats, to_block_body(sample_stats())));

  std::ifstream in(file_.path(), std::ios::binary);
  BlockReader reader(in);
  ASSERT_TRUE(reader.open());
  std::vector<uint32_t> known;
  std::vector<Bytes> skipped;
  while (auto b = reader.next()) {
    switch (b->type) {
      case BlockType::kHost:
      case BlockType::kCapture:
      case BlockType::kSyscallTable:
      case BlockType::kTracepointFormats:
      case BlockType::kEvents:
      case BlockType::kStats:
        known.push_back(static_cast<uint32_t>(b->type));
        break;
      default:
        EXPECT_TRUE(static_cast<uint32_t>(b->type) == 0x7e57 || static_cast<uint32_t>(b->type) == 0xffffffff);
        skipped.push_back(b->body);
    }
  }
  EXPECT_EQ(reader.end(), ReadEnd::kClean) << reader.message();
  EXPECT_EQ(known, (std::vector<uint32_t>{1, 6}));
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_EQ(skipped[0], future);
  EXPECT_TRUE(skipped[1].empty());
}

TEST_F(RoundTrip, EventsBlockWithHeadAndRawRecords) {
  // The two-span write_block: an EventsHeader as head, uncompressed records as body.
  uint32_t count = 0;
  const Bytes records = sample_records(count);
  EventsHeader eh{records.size(), count, static_cast<uint32_t>(Compression::kNone)};
  Bytes head;
  test::put(head, eh);
  ASSERT_TRUE(writer_.write_file_header());
  ASSERT_TRUE(writer_.write_block(BlockType::kEvents, head, records));
  auto r = read_back();
  ASSERT_EQ(r.blocks.size(), 1u);
  EXPECT_EQ(r.blocks[0].body.size(), 16u + records.size());
  auto frame = open_frame(r.blocks[0].body);
  ASSERT_TRUE(frame) << frame.error().message;
  EXPECT_EQ(frame->record_count, count);
  EXPECT_EQ(frame->records, records);
}

TEST_F(RoundTrip, RecordsOfEveryKindComeBackFieldByField) {
  uint32_t count = 0;
  const Bytes records = sample_records(count);
  FrameCompressor compressor(19);
  ASSERT_TRUE(writer_.write_file_header());
  ASSERT_TRUE(writer_.write_block(BlockType::kEvents, compressor.frame(records, count)));
  // A second frame from the same compressor is independent of the first.
  Bytes second;
  test::append_record(second, test::sys_enter(60, 9000, 77, {2}));
  ASSERT_TRUE(writer_.write_block(BlockType::kEvents, compressor.frame(second, 1)));

  auto r = read_back();
  ASSERT_EQ(r.blocks.size(), 2u);
  auto frame = open_frame(r.blocks[0].body);
  ASSERT_TRUE(frame) << frame.error().message;
  RecordCursor cursor(frame->records);
  std::vector<RecordView> seen;
  while (auto v = cursor.next()) seen.push_back(*v);
  EXPECT_EQ(cursor.error(), "");
  ASSERT_EQ(seen.size(), 8u);
  const std::vector<uint16_t> types = {ETRACE_REC_TASK,      ETRACE_REC_FORK,     ETRACE_REC_EXEC,
                                       ETRACE_REC_SYS_ENTER, ETRACE_REC_SYS_EXIT, ETRACE_REC_SYS_ENTER,
                                       ETRACE_REC_SYS_EXIT,  ETRACE_REC_EXIT};
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i].type, types[i]) << "record " << i;

  etrace_task t;
  ASSERT_EQ(seen[0].bytes.size(), sizeof(t));
  std::memcpy(&t, seen[0].bytes.data(), sizeof(t));
  EXPECT_EQ(t.h.ts_ns, 1000u);
  EXPECT_EQ(t.h.tgid, 4242u);
  EXPECT_EQ(t.h.nr, ETRACE_NR_UNKNOWN);
  EXPECT_EQ(t.ppid, 1u);
  EXPECT_STREQ(t.comm, "bash");

  etrace_fork fk;
  ASSERT_EQ(seen[1].bytes.size(), sizeof(fk));
  std::memcpy(&fk, seen[1].bytes.data(), sizeof(fk));
  EXPECT_EQ(fk.h.cpu, 2u);
  EXPECT_EQ(fk.child_tgid, 4243u);
  EXPECT_EQ(fk.child_tid, 4243u);

  etrace_exec ex;
  ASSERT_EQ(seen[2].bytes.size(), sizeof(ex));
  std::memcpy(&ex, seen[2].bytes.data(), sizeof(ex));
  EXPECT_EQ(ex.old_tid, 4243u);
  EXPECT_STREQ(ex.comm, "ls");

  etrace_sys_enter en;
  ASSERT_EQ(seen[3].bytes.size(), sizeof(en));
  std::memcpy(&en, seen[3].bytes.data(), sizeof(en));
  EXPECT_EQ(en.h.nr, 257u);
  EXPECT_EQ(en.h.ts_ns, 1300u);
  EXPECT_EQ(en.args[0], 0xffffff9cu);
  EXPECT_EQ(en.args[1], 0x7ffd1234u);
  EXPECT_EQ(en.args[2], 0x80000u);

  etrace_sys_exit xt;
  ASSERT_EQ(seen[6].bytes.size(), sizeof(xt));
  std::memcpy(&xt, seen[6].bytes.data(), sizeof(xt));
  EXPECT_EQ(xt.h.nr, 0u);
  EXPECT_EQ(xt.ret, -11);

  etrace_task_exit te;
  ASSERT_EQ(seen[7].bytes.size(), sizeof(te));
  std::memcpy(&te, seen[7].bytes.data(), sizeof(te));
  EXPECT_EQ(te.exit_code, 256);
  EXPECT_EQ(te.group_dead, 1u);

  auto frame2 = open_frame(r.blocks[1].body);
  ASSERT_TRUE(frame2) << frame2.error().message;
  EXPECT_EQ(frame2->record_count, 1u);
  EXPECT_EQ(frame2->records, second);
}

TEST_F(RoundTrip, EmptyFrameHasNoRecords) {
  FrameCompressor compressor;
  ASSERT_TRUE(writer_.write_file_header());
  ASSERT_TRUE(writer_.write_block(BlockType::kEvents, compressor.frame({}, 0)));
  auto r = read_back();
  ASSERT_EQ(r.blocks.size(), 1u);
  auto frame = open_frame(r.blocks[0].body);
  ASSERT_TRUE(frame) << frame.error().message;
  EXPECT_EQ(frame->record_count, 0u);
  EXPECT_TRUE(frame->records.empty());
  RecordCursor cursor(frame->records);
  EXPECT_FALSE(cursor.next());
  EXPECT_EQ(cursor.error(), "");
}

TEST_F(RoundTrip, StatsWithoutCommandStatusStayWithout) {
  CaptureStats s = sample_stats();
  s.command_status.reset();
  ASSERT_TRUE(writer_.write_file_header());
  ASSERT_TRUE(writer_.write_block(BlockType::kStats, to_block_body(s)));
  auto r = read_back();
  ASSERT_EQ(r.blocks.size(), 1u);
  auto back = capture_stats_from(r.blocks[0].body);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_FALSE(back->command_status.has_value());
  // A zero status (success) is a value, not an absence.
  s.command_status = 0;
  back = capture_stats_from(to_block_body(s));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->command_status, 0);
}

TEST(Streaming, BlocksAreReadFromAPipeWhileTheyAreWritten) {
  // etrace-capture -o - | etrace-decode -: the reader sees each block as the
  // writer produces it, and a clean end when the writer closes the pipe.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const HostInfo host = sample_host();
  uint32_t count = 0;
  const Bytes records = sample_records(count);
  std::thread writer([&] {
    BlockWriter w(fds[1], "standard output");
    FrameCompressor fc;
    w.write_file_header();
    w.write_block(BlockType::kHost, to_block_body(host));
    for (int i = 0; i < 20; ++i) w.write_block(BlockType::kEvents, fc.frame(records, count));
    w.write_block(BlockType::kStats, to_block_body(sample_stats()));
    ::close(fds[1]);
  });
  std::ifstream in("/proc/self/fd/" + std::to_string(fds[0]), std::ios::binary);
  auto r = test::read_all(in);
  writer.join();
  ::close(fds[0]);
  ASSERT_FALSE(r.open_error) << *r.open_error;
  EXPECT_EQ(r.end, ReadEnd::kClean) << r.message;
  ASSERT_EQ(r.blocks.size(), 22u);
  auto h = host_info_from(r.blocks[0].body);
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->hostname, host.hostname);
  for (size_t i = 1; i <= 20; ++i) {
    auto f = open_frame(r.blocks[i].body);
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(f->records, records);
  }
  EXPECT_EQ(r.blocks[21].type, BlockType::kStats);
}

}  // namespace
}  // namespace etrace::format
