// Pairs each thread's syscall ENTER and EXIT records into calls, and turns
// task records into process events. Records of different threads interleave
// freely; each thread has at most one call in progress. Handles what a real
// capture contains besides clean pairs:
//  - calls that never return (exit_group): ended by the task's EXIT record;
//  - calls still blocked when the capture stopped: unfinished at the end;
//  - an EXIT whose ENTER predates the capture (or was lost);
//  - execve by a non-leader thread: the call continues under the tgid;
//  - a new child's return from clone/fork, which is the second half of the
//    parent's call and is not reported as a call of its own (as strace).
// Library calls nest: each thread keeps a stack of them, beside its one
// syscall; a return pairs with the innermost call of its function (calls
// above it were left by a longjmp and never return).
// Signals are passed on where the thread meets them: a delivered one where
// it was recorded (by the thread, between calls); one recorded in its
// sender while the thread was inside a syscall (ignored, or fatal at once)
// right after that call ends, which is when the thread leaves the kernel:
// where a ptracer such as strace sees it, and where a fatal one acts.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "decode/input/context_table.h"
#include "decode/input/record_parser.h"
#include "decode/values/decoded_event.h"

namespace etrace::decode {

struct Call {
  uint64_t seq = 0;  // order of first sight, to list unfinished calls stably
  uint32_t tgid = 0;
  uint32_t tid = 0;
  uint16_t nr = 0;
  std::optional<uint32_t> function;                  // a library call: the function's index (nr is meaningless)
  std::optional<std::string> comm;                  // the thread's comm when the call started
  ContextRef context;                                // the thread's context when the call started, if recorded
  std::optional<uint64_t> enter_ns;                  // monotonic; empty when the ENTER was not captured
  std::optional<std::array<uint64_t, 6>> args;       // empty when the ENTER was not captured
  std::optional<uint64_t> exit_ns;                   // the EXIT, or the task's end for kNoReturn
  std::optional<int64_t> ret;                        // only for kCompleted and kExitOnly
  std::vector<PayloadItem> enter_payloads;           // inputs copied at the ENTER
  std::vector<PayloadItem> exit_payloads;            // outputs copied at the EXIT
};


struct CallEvent {
  CallPhase phase;
  Call call;
};

struct ProcessEvent {
  using Kind = ProcessEventKind;
  Kind kind = Kind::kExit;
  uint64_t ts_ns = 0;  // monotonic
  uint32_t tgid = 0;
  uint32_t tid = 0;
  std::optional<std::string> comm;  // after exec for kExec
  ContextRef context;               // the thread's (after exec for kExec), if recorded
  uint32_t child_tgid = 0;          // kFork
  uint32_t child_tid = 0;           // kFork
  uint32_t old_tid = 0;             // kExec
  int32_t status = 0;               // kExit, kThreadExit: wait(2) status
};

// Records lost on one CPU. Passed on in stream order; pairing state is
// untouched, so calls cut by the gap show as unfinished or resumed.
struct LossEvent {
  uint64_t ts_ns = 0;  // monotonic, when the gap was noticed
  uint16_t cpu = 0;
  uint64_t count = 0;
  uint64_t first_ts_ns = 0;
  uint64_t last_ts_ns = 0;
};

// A signal the thread met (1.3).
struct SignalEvent {
  uint64_t ts_ns = 0;  // monotonic, when it was recorded
  uint32_t tgid = 0;
  uint32_t tid = 0;
  std::optional<std::string> comm;
  ContextRef context;
  SignalKind kind = SignalKind::kDelivered;
  int32_t signo = 0;
  uint64_t handler = 0;      // kDelivered
  uint64_t sa_flags = 0;     // kDelivered
  uint32_t sender_tgid = 0;  // kIgnored, kFatal
  uint32_t sender_tid = 0;
  std::string info;          // siginfo bytes
};

using PairedEvent = std::variant<CallEvent, ProcessEvent, LossEvent, SignalEvent>;

class CallPairing {
 public:
  // Appends what this record completes or starts to `out`, in order.
  void feed(const Record& record, std::vector<PairedEvent>& out);
  // End of input: every call still pending, as kUnfinished, oldest first.
  void finish(std::vector<PairedEvent>& out);

 private:
  struct Thread {
    std::optional<Call> pending;
    std::vector<Call> library_calls;  // under way, innermost last
    std::optional<std::string> comm;
    ContextRef context;
    bool fresh_child = false;  // created by a FORK record, no syscall seen yet
    std::vector<SignalEvent> signals;  // met inside `pending`: passed on when it ends
  };

  Call start_call(const RecordHeader& h, const Thread& t);
  void on(const SysEnterRecord& r, std::vector<PairedEvent>& out);
  void on(const SysExitRecord& r, std::vector<PairedEvent>& out);
  void on(const TaskRecord& r, std::vector<PairedEvent>& out);
  void on(const ForkRecord& r, std::vector<PairedEvent>& out);
  void on(const ExecRecord& r, std::vector<PairedEvent>& out);
  void on(const TaskExitRecord& r, std::vector<PairedEvent>& out);
  void on(const LossRecord& r, std::vector<PairedEvent>& out);
  void on(const LibEnterRecord& r, std::vector<PairedEvent>& out);
  void on(const LibExitRecord& r, std::vector<PairedEvent>& out);
  // The thread's library calls under way end: `phase` at `ts_ns`, innermost first.
  static void end_library_calls(Thread& t, CallPhase phase, std::optional<uint64_t> ts_ns,
                                std::vector<PairedEvent>& out);
  void on(const FdRecord&, std::vector<PairedEvent>&) {}  // the descriptor tracker's, not a call's
  void on(const ContextRecord& r, std::vector<PairedEvent>& out);
  void on(const SignalRecord& r, std::vector<PairedEvent>& out);
  // The thread's pending syscall ends as `phase`; the signals it met follow it.
  static void end_pending(Thread& t, CallPhase phase, std::vector<PairedEvent>& out);

  std::unordered_map<uint32_t, Thread> threads_;
  ContextTable contexts_;
  // Processes whose end was reported. On kernels whose exit tracepoint does
  // not say which thread was last, two threads dying together can both
  // claim it; only the first does. A fork reusing the pid clears it.
  std::unordered_set<uint32_t> ended_processes_;
  uint64_t next_seq_ = 0;
};

}  // namespace etrace::decode
