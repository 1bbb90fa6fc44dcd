// Pairing of ENTER/EXIT records into calls, record by record.
#include <gtest/gtest.h>

#include "decode/input/call_pairing.h"

using namespace etrace::decode;

namespace {

constexpr uint16_t kRead = 0, kWrite = 1, kClone = 56, kExecve = 59, kExitGroup = 231, kFutex = 202;

RecordHeader hdr(uint64_t ts, uint32_t tgid, uint32_t tid, uint16_t nr = 0xffff) {
  RecordHeader h;
  h.ts_ns = ts;
  h.tgid = tgid;
  h.tid = tid;
  h.nr = nr;
  return h;
}
Record enter(uint64_t ts, uint32_t tgid, uint32_t tid, uint16_t nr, uint64_t a0 = 0) {
  return SysEnterRecord{hdr(ts, tgid, tid, nr), {a0, 0, 0, 0, 0, 0}, {}, {}};
}
Record exit(uint64_t ts, uint32_t tgid, uint32_t tid, uint16_t nr, int64_t ret) {
  return SysExitRecord{hdr(ts, tgid, tid, nr), ret, {}, {}};
}

// "phase nr tid" per call event, "fork/exec/exit/thread_exit tid" per process event.
std::vector<std::string> run(const std::vector<Record>& records, bool finish = true) {
  CallPairing p;
  std::vector<PairedEvent> events;
  for (const auto& r : records) p.feed(r, events);
  if (finish) p.finish(events);
  std::vector<std::string> out;
  for (const auto& e : events) {
    if (const auto* c = std::get_if<CallEvent>(&e)) {
      const char* phase[] = {"entered", "completed", "exit_only", "no_return", "unfinished"};
      std::string s = std::string(phase[static_cast<int>(c->phase)]) + " " + std::to_string(c->call.nr) + " " +
                      std::to_string(c->call.tid);
      if (c->call.ret) s += " =" + std::to_string(*c->call.ret);
      out.push_back(s);
    } else {
      const auto& p = std::get<ProcessEvent>(e);
      const char* kind[] = {"fork", "exec", "exit", "thread_exit"};
      out.push_back(std::string(kind[static_cast<int>(p.kind)]) + " " + std::to_string(p.tid));
    }
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST(CallPairing, EnterThenExit) {
  EXPECT_EQ(run({enter(1, 10, 10, kRead), exit(2, 10, 10, kRead, 5)}), (V{"entered 0 10", "completed 0 10 =5"}));
}

TEST(CallPairing, CompletedCallKeepsBothTimesAndArgs) {
  CallPairing p;
  std::vector<PairedEvent> ev;
  p.feed(enter(100, 10, 10, kRead, 3), ev);
  p.feed(exit(250, 10, 10, kRead, 5), ev);
  ASSERT_EQ(ev.size(), 2u);
  const auto& c = std::get<CallEvent>(ev[1]).call;
  EXPECT_EQ(c.enter_ns, 100u);
  EXPECT_EQ(c.exit_ns, 250u);
  ASSERT_TRUE(c.args);
  EXPECT_EQ((*c.args)[0], 3u);
  EXPECT_EQ(std::get<CallEvent>(ev[0]).call.seq, c.seq);
}

TEST(CallPairing, InterleavedThreads) {
  EXPECT_EQ(run({enter(1, 10, 10, kRead), enter(2, 10, 11, kWrite), exit(3, 10, 11, kWrite, 1),
                 exit(4, 10, 10, kRead, 5)}),
            (V{"entered 0 10", "entered 1 11", "completed 1 11 =1", "completed 0 10 =5"}));
}

TEST(CallPairing, NeverReturningCallEndsWithTheTask) {
  EXPECT_EQ(run({enter(1, 10, 10, kExitGroup), TaskExitRecord{hdr(2, 10, 10), 0, true}}),
            (V{"entered 231 10", "no_return 231 10", "exit 10"}));
}

TEST(CallPairing, PendingAtEndIsUnfinishedInOrderOfEntry) {
  EXPECT_EQ(run({enter(1, 10, 12, kFutex), enter(2, 10, 11, kRead), enter(3, 10, 10, kWrite)}),
            (V{"entered 202 12", "entered 0 11", "entered 1 10", "unfinished 202 12", "unfinished 0 11",
               "unfinished 1 10"}));
}

TEST(CallPairing, ExitWithoutEnter) {
  EXPECT_EQ(run({exit(1, 10, 10, kRead, 5)}), (V{"exit_only 0 10 =5"}));
}

TEST(CallPairing, LostExitBeforeNextEnter) {
  EXPECT_EQ(run({enter(1, 10, 10, kRead), enter(2, 10, 10, kWrite), exit(3, 10, 10, kWrite, 1)}),
            (V{"entered 0 10", "unfinished 0 10", "entered 1 10", "completed 1 10 =1"}));
}

TEST(CallPairing, ExitOfAnotherSyscall) {
  EXPECT_EQ(run({enter(1, 10, 10, kRead), exit(2, 10, 10, kWrite, 1)}),
            (V{"entered 0 10", "unfinished 0 10", "exit_only 1 10 =1"}));
}

TEST(CallPairing, NonLeaderExecMovesThePendingCall) {
  EXPECT_EQ(run({enter(1, 20, 20, kFutex), enter(2, 20, 21, kExecve), TaskExitRecord{hdr(3, 20, 20), 0, false},
                 ExecRecord{hdr(4, 20, 20), 21, "ls"}, exit(5, 20, 20, kExecve, 0)}),
            (V{"entered 202 20", "entered 59 21", "no_return 202 20", "thread_exit 20", "exec 20",
               "completed 59 20 =0"}));
}

TEST(CallPairing, ExecMovedCallKeepsItsEntry) {
  CallPairing p;
  std::vector<PairedEvent> ev;
  p.feed(TaskRecord{hdr(0, 20, 21), 1, "worker"}, ev);
  p.feed(enter(2, 20, 21, kExecve, 0x5000), ev);
  p.feed(ExecRecord{hdr(4, 20, 20), 21, "ls"}, ev);
  p.feed(exit(5, 20, 20, kExecve, 0), ev);
  const auto& c = std::get<CallEvent>(ev.back());
  EXPECT_EQ(c.phase, CallPhase::kCompleted);
  EXPECT_EQ(c.call.tid, 20u);
  EXPECT_EQ(c.call.enter_ns, 2u);
  EXPECT_EQ((*c.call.args)[0], 0x5000u);
  EXPECT_EQ(c.call.comm, "worker");  // as it was when the call started
}

TEST(CallPairing, ChildsReturnFromCloneIsNotACallOfItsOwn) {
  EXPECT_EQ(run({enter(1, 30, 30, kClone), ForkRecord{hdr(2, 30, 30), 31, 31}, TaskRecord{hdr(3, 31, 31), 30, "sh"},
                 exit(4, 31, 31, kClone, 0), exit(5, 30, 30, kClone, 31), enter(6, 31, 31, kWrite),
                 exit(7, 31, 31, kWrite, 1)}),
            (V{"entered 56 30", "fork 30", "completed 56 30 =31", "entered 1 31", "completed 1 31 =1"}));
}

TEST(CallPairing, CommTracksTaskAndExecRecordsAndForks) {
  CallPairing p;
  std::vector<PairedEvent> ev;
  p.feed(TaskRecord{hdr(0, 40, 40), 1, "bash"}, ev);
  p.feed(ForkRecord{hdr(1, 40, 40), 41, 41}, ev);
  p.feed(enter(2, 41, 41, kWrite), ev);       // inherits "bash"
  p.feed(ExecRecord{hdr(3, 41, 41), 41, "ls"}, ev);
  p.feed(exit(4, 41, 41, kWrite, 1), ev);
  p.feed(enter(5, 41, 41, kRead), ev);        // now "ls"
  ASSERT_EQ(ev.size(), 5u);
  EXPECT_EQ(std::get<ProcessEvent>(ev[0]).comm, "bash");
  EXPECT_EQ(std::get<CallEvent>(ev[1]).call.comm, "bash");
  EXPECT_EQ(std::get<ProcessEvent>(ev[2]).comm, "ls");
  EXPECT_EQ(std::get<CallEvent>(ev[4]).call.comm, "ls");
}

TEST(CallPairing, TidReuseAfterExitStartsFresh) {
  EXPECT_EQ(run({enter(1, 50, 50, kRead), TaskExitRecord{hdr(2, 50, 50), 9, true}, exit(3, 50, 50, kRead, 0)}),
            (V{"entered 0 50", "no_return 0 50", "exit 50", "exit_only 0 50 =0"}));
}
