// RecordMerger (capture/record_merger.h): runs of records from several CPUs,
// arriving in any order, come out in time order, and only up to the horizon.
#include <linux/types.h>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "bpf/map_layouts.h"
#include "capture/record_merger.h"
#include "format/records.h"

namespace etrace::capture {
namespace {

// A run of task-exit records of one CPU, one per timestamp; each record's
// tid is its timestamp, so that what comes out can be told apart.
std::vector<uint8_t> run_of(uint16_t cpu, std::vector<uint64_t> stamps) {
  std::vector<uint8_t> out;
  for (uint64_t ts : stamps) {
    etrace_task_exit r{};
    r.h.type = ETRACE_REC_EXIT;
    r.h.size = sizeof(r);
    r.h.cpu = cpu;
    r.h.nr = ETRACE_NR_UNKNOWN;
    r.h.ts_ns = ts;
    r.h.tid = static_cast<__u32>(ts);
    const auto* bytes = reinterpret_cast<const uint8_t*>(&r);
    out.insert(out.end(), bytes, bytes + sizeof(r));
  }
  return out;
}

struct Delivered {
  std::vector<uint64_t> stamps;
  std::vector<uint16_t> cpus;
  RecordMerger::RecordFn fn() {
    return [this](std::span<const uint8_t> r) {
      etrace_header h;
      ASSERT_EQ(r.size(), sizeof(etrace_task_exit));
      std::memcpy(&h, r.data(), sizeof(h));
      EXPECT_EQ(h.tid, h.ts_ns) << "a record's bytes were mixed with another's";
      stamps.push_back(h.ts_ns);
      cpus.push_back(h.cpu);
    };
  }
};

TEST(RecordMerger, RunsOfTwoCpusComeOutInTimeOrder) {
  RecordMerger m;
  // CPU 1 hands over its batch before CPU 0 hands over earlier records.
  ASSERT_TRUE(m.add_run(run_of(1, {15, 25, 35})));
  ASSERT_TRUE(m.add_run(run_of(0, {10, 20, 30, 40})));
  ASSERT_TRUE(m.add_run(run_of(1, {45})));
  EXPECT_EQ(m.held(), 8u);
  Delivered d;
  m.release_all(d.fn());
  EXPECT_EQ(d.stamps, (std::vector<uint64_t>{10, 15, 20, 25, 30, 35, 40, 45}));
  EXPECT_EQ(m.held(), 0u);
}

TEST(RecordMerger, RecordsFromTheHorizonOnAreHeldForLater) {
  RecordMerger m;
  ASSERT_TRUE(m.add_run(run_of(0, {10, 20, 30})));
  ASSERT_TRUE(m.add_run(run_of(1, {5, 25})));
  Delivered d;
  m.release(25, d.fn());
  EXPECT_EQ(d.stamps, (std::vector<uint64_t>{5, 10, 20}));
  EXPECT_EQ(m.held(), 2u);
  // A CPU that hands over later, with a record earlier than one held, has
  // its record go first.
  ASSERT_TRUE(m.add_run(run_of(2, {27})));
  m.release(100, d.fn());
  EXPECT_EQ(d.stamps, (std::vector<uint64_t>{5, 10, 20, 25, 27, 30}));
}

TEST(RecordMerger, EqualStampsGoToTheLowerCpuFirst) {
  RecordMerger m;
  ASSERT_TRUE(m.add_run(run_of(3, {7})));
  ASSERT_TRUE(m.add_run(run_of(2, {7})));
  Delivered d;
  m.release_all(d.fn());
  EXPECT_EQ(d.cpus, (std::vector<uint16_t>{2, 3}));
}

// Library-call records come one per ring record, flagged ETRACE_CPU_DIRECT,
// ahead of their CPU's staged records and, when a probe was preempted
// between its stamp and its write, behind later ones of their own kind.
TEST(RecordMerger, DirectRecordsTakeTheirPlaceInTimeAndLoseTheirFlag) {
  RecordMerger m;
  const uint16_t direct0 = ETRACE_CPU_DIRECT | 0;
  ASSERT_TRUE(m.add_run(run_of(direct0, {12})));
  ASSERT_TRUE(m.add_run(run_of(direct0, {18})));
  ASSERT_TRUE(m.add_run(run_of(direct0, {14})));  // preempted: stamped before 18
  ASSERT_TRUE(m.add_run(run_of(0, {10, 16, 20})));  // the stage, flushed later
  EXPECT_EQ(m.held(), 6u);
  Delivered d;
  m.release_all(d.fn());
  EXPECT_EQ(d.stamps, (std::vector<uint64_t>{10, 12, 14, 16, 18, 20}));
  EXPECT_EQ(d.cpus, (std::vector<uint16_t>(6, 0)));
}

TEST(RecordMerger, ARunThatIsNotWholeRecordsIsRefusedAndNothingOfItKept) {
  RecordMerger m;
  auto run = run_of(0, {1, 2});
  run.pop_back();  // the second record is cut short
  EXPECT_FALSE(m.add_run(run));
  auto mixed = run_of(0, {1});
  auto other = run_of(1, {2});
  mixed.insert(mixed.end(), other.begin(), other.end());  // two CPUs in one run
  EXPECT_FALSE(m.add_run(mixed));
  auto zero = run_of(0, {3});
  zero[2] = zero[3] = 0;  // size 0 would never advance
  EXPECT_FALSE(m.add_run(zero));
  EXPECT_EQ(m.held(), 0u);
}

}  // namespace
}  // namespace etrace::capture
