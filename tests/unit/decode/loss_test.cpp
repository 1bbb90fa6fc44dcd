// Gap markers (ETRACE_REC_LOSS) decoded through the whole pipeline: parsed,
// kept in stream order, never filtered, shown in text, JSON and --stats.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>

#include "decode/input/record_parser.h"
#include "decode_helpers.h"
#include "decoder_run.h"
#include "decoder_run.h"

using namespace etrace::test;
using etrace::decode::EventFilter;
using etrace::decode::TextOptions;

namespace {


}  // namespace

TEST(LossRecord, ParsedWithItsCounts) {
  etrace_loss_record r{};
  r.h.type = ETRACE_REC_LOSS;
  r.h.size = sizeof(r);
  r.h.cpu = 3;
  r.h.nr = ETRACE_NR_UNKNOWN;
  r.h.ts_ns = 900;
  r.count = 12;
  r.first_ts_ns = 100;
  r.last_ts_ns = 800;
  std::vector<uint8_t> bytes(sizeof(r));
  std::memcpy(bytes.data(), &r, sizeof(r));
  auto parsed = etrace::decode::parse_record(bytes);
  ASSERT_TRUE(parsed && *parsed);
  const auto* loss = std::get_if<etrace::decode::LossRecord>(&**parsed);
  ASSERT_NE(loss, nullptr);
  EXPECT_EQ(loss->h.cpu, 3);
  EXPECT_EQ(loss->h.ts_ns, 900u);
  EXPECT_EQ(loss->count, 12u);
  EXPECT_EQ(loss->first_ts_ns, 100u);
  EXPECT_EQ(loss->last_ts_ns, 800u);

  bytes.resize(sizeof(r) - 8);
  EXPECT_FALSE(etrace::decode::parse_record(bytes));
}

TEST(LossText, GapLineInStreamOrderEndsTheOpenLine) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {3, kBuf, 1, 0, 0, 0});
  b.loss(1500, 1, 5, 1200, 1400);
  b.exit(2000, 100, 100, kRead, 1);
  b.loss(2500, 0, 1, 2100, 2100);
  // An unfinished call shows its inputs only, the resumption the rest, as
  // `strace -f sh -c '(sleep 0.2; echo x) | cat'` prints cat's read:
  //   read(0,  <unfinished ...>
  //   <... read resumed>"x\n", 131072) = 2
  // (no payload here, so the buffer is its address).
  EXPECT_EQ(decode_text(b),
            "read(3,  <unfinished ...>\n"
            "--- lost 5 events on cpu 1 ---\n"
            "<... read resumed>0x7ffd00001000, 1) = 1\n"
            "--- lost 1 event on cpu 0 ---\n");
}

// A gap that swallowed a call's exit: the call stays unfinished (its
// thread's next entry ends it), the gap shows where it happened.
TEST(LossText, CallsCutByTheGapStayUnfinished) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {3, kBuf, 1, 0, 0, 0});
  b.loss(3000, 0, 2, 1500, 2500);
  b.enter(3100, 100, 100, kWrite, {1, kBuf, 1, 0, 0, 0});
  b.exit(3200, 100, 100, kWrite, 1);
  EXPECT_EQ(decode_text(b),
            "read(3,  <unfinished ...>\n"
            "--- lost 2 events on cpu 0 ---\n"
            "write(1, 0x7ffd00001000, 1) = 1\n");
}

TEST(LossText, TimestampButNoPidPrefix) {
  setenv("TZ", "UTC", 1);
  tzset();
  auto b = standard_capture();
  b.enter(1'000'000'000, 100, 100, kWrite, {1, kBuf, 1, 0, 0, 0});
  b.exit(1'000'001'000, 100, 100, kWrite, 1);
  b.enter(1'100'000'000, 100, 101, kWrite, {1, kBuf, 1, 0, 0, 0});
  b.exit(1'100'001'000, 100, 101, kWrite, 1);
  b.loss(2'000'000'000, 1, 7, 1'500'000'000, 1'900'000'000);
  EXPECT_EQ(decode_text(b, TextOptions{2, false}),
            "03:00:01.000000 write(1, 0x7ffd00001000, 1) = 1\n"
            "[pid 101] 03:00:01.100000 write(1, 0x7ffd00001000, 1) = 1\n"
            "03:00:02.000000 --- lost 7 events on cpu 1 ---\n");
}

TEST(LossText, FiltersKeepGaps) {
  auto b = standard_capture();
  b.task(0, 100, 100, 1, "cat");
  b.enter(1000, 100, 100, kRead, {3, kBuf, 1, 0, 0, 0});
  b.exit(1100, 100, 100, kRead, 1);
  b.loss(1500, 1, 4, 1200, 1400);
  EventFilter by_pid;
  by_pid.pids = {200};
  EXPECT_EQ(decode_text(b, {}, by_pid), "--- lost 4 events on cpu 1 ---\n");
  EventFilter by_comm;
  by_comm.comms = {"ls"};
  EXPECT_EQ(decode_text(b, {}, by_comm), "--- lost 4 events on cpu 1 ---\n");
  EventFilter by_syscall;
  by_syscall.syscalls = {kWrite};
  EXPECT_EQ(decode_text(b, {}, by_syscall), "--- lost 4 events on cpu 1 ---\n");
}

TEST(LossJson, LostLine) {
  auto b = standard_capture();
  b.loss(2000, 1, 5, 1200, 1800);
  // Monotonic 0 is 2026-11-22T03:00:00Z (1795316400 s) in standard captures.
  EXPECT_EQ(decode_json(b),
            "{\"kind\":\"lost\",\"ts\":\"2026-11-22T03:00:00.000002000Z\",\"ts_ns\":\"1795316400000002000\","
            "\"cpu\":1,\"count\":5,\"first_ts_ns\":\"1795316400000001200\",\"last_ts_ns\":\"1795316400000001800\"}\n");
}

TEST(LossStats, LostAndGapsPerCpu) {
  auto b = standard_capture();
  b.enter(0, 100, 100, kRead, {0, kBuf, 1, 0, 0, 0});
  b.exit(1000, 100, 100, kRead, 1);
  b.loss(2000, 1, 3, 1100, 1900);
  b.loss(4000, 1, 4, 3000, 3900);
  b.stats.syscalls[kRead] = {2, 5};
  b.stats.process_records = {0, 4};
  // The trailer knows of losses on CPU 0 that no gap record marked (none
  // followed them) and of the 7 on CPU 1.
  b.stats.cpus[0] = {2, 5000, 5100};
  b.stats.cpus[1] = {7, 1100, 3900};
  std::string warnings;
  EXPECT_EQ(decode(b.build(), Mode::kStats, {}, {}, &warnings),
            "% time     seconds  usecs/call     calls    errors   p50 usecs   p99 usecs   max usecs syscall\n"
            "------ ----------- ----------- --------- --------- ----------- ----------- ----------- ----------------\n"
            "100.00    0.000001       1.000         1                 1.000       1.000       1.000 read\n"
            "------ ----------- ----------- --------- --------- ----------- ----------- ----------- ----------------\n"
            "100.00    0.000001       1.000         1                 1.000       1.000       1.000 total\n"
            "\n"
            "     pid comm                 calls    errors     seconds\n"
            "     100 ?                        1         0    0.000001\n"
            "\n"
            "capture: 2 records written, 9 lost (the ring buffer was full; some calls are missing or unpaired)\n"
            "\n"
            "     lost syscall\n"
            "        5 read\n"
            "        4 (process events)\n"
            "\n"
            "   cpu      lost      gaps\n"
            "     0         2         0\n"
            "     1         7         2\n"
            "\n"
            "duration: 0.000000 s (capture start to stop)\n");
  EXPECT_EQ(warnings, "");
}

TEST(LossStats, WithoutATrailerTheGapsCount) {
  auto b = standard_capture();
  b.loss(2000, 2, 3, 1100, 1900);
  b.loss(4000, 2, 4, 3000, 3900);
  std::string out = decode(b.build(false), Mode::kStats);
  EXPECT_NE(out.find("\n   cpu      lost      gaps\n     2         7         2\n"), std::string::npos) << out;
}

// Through etrace-decode itself: strace's string options are accepted
// (-xx as a repeated -x) and the gap line reaches the output.
TEST(LossCli, GapLineWithStringOptions) {
  auto b = standard_capture();
  b.loss(2000, 1, 5, 1200, 1800);
  DecoderRun r = run_decoder(b.build(), "-s 5 -xx -v");
  const std::string& out = r.out;
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(out, "--- lost 5 events on cpu 1 ---\n");
}
