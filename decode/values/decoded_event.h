// What renderers receive: calls and process events made of values, with
// wall-clock times. Nothing here refers to records or format files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "decode/values/process_context.h"
#include "decode/values/value.h"

namespace etrace::decode {

// How much of a call the capture holds.
enum class CallPhase {
  kEntered,     // the call started (args known, no result yet)
  kCompleted,   // ENTER and EXIT both seen
  kExitOnly,    // an EXIT without its ENTER
  kNoReturn,    // the task ended inside the call (exit_group, or killed)
  kUnfinished,  // still pending at end of input, or its EXIT was lost
};

// The host an event happened on, when captures of several hosts are
// decoded as one (the name is owned by the merge); null for one capture.
// Renderers mark each event with it and tell threads apart by it.
using HostRef = const std::string*;

// A thread of the output: tids are unique only within one host.
struct ThreadKey {
  HostRef host = nullptr;
  uint32_t tid = 0;
  bool operator==(const ThreadKey&) const = default;
};
struct ThreadKeyHash {
  size_t operator()(const ThreadKey& k) const {
    return std::hash<const void*>()(k.host) ^ (std::hash<uint32_t>()(k.tid) * 0x9e3779b97f4a7c15ull);
  }
};

enum class ProcessEventKind { kFork, kExec, kExit, kThreadExit };

// What became of a signal the thread met.
enum class SignalKind {
  kDelivered,  // the thread took it: a handler ran, or its default action, or it was ignored then
  kIgnored,    // sent while the thread ignored it: discarded at once
  kFatal,      // its default action ended the process at once
};

struct DecodedCall {
  CallPhase phase = CallPhase::kCompleted;
  uint64_t seq = 0;  // identifies the call across its kEntered and later events
  uint32_t pid = 0;  // tgid
  uint32_t tid = 0;
  HostRef host = nullptr;
  std::optional<std::string> comm;
  ContextRef context;  // who made the call, when the capture recorded it (1.2)
  std::string syscall;                          // the function's name for a library call
  uint16_t nr = 0;
  std::optional<std::string> library;           // a library call: its library's soname
  std::optional<std::vector<NamedValue>> args;  // empty when the entry was not captured
  bool named_args = false;                      // text shows "name=value" (strace does for clone)
  // How many leading arguments are inputs: a call shown unfinished shows
  // these ("wait4(9601, <unfinished ...>"), its resumption the rest, which
  // the kernel fills in ("<... wait4 resumed>[{WIFEXITED(s) ...}], 0, NULL)").
  size_t args_at_entry = SIZE_MAX;
  std::optional<ReturnValue> ret;               // kCompleted and kExitOnly only
  std::optional<int64_t> entry_wall_ns;         // CLOCK_REALTIME ns
  std::optional<int64_t> exit_wall_ns;          // the exit, or the task's end for kNoReturn
  std::optional<uint64_t> duration_ns;          // kCompleted only
};

// What process events and signals share: when, and in which thread.
struct ThreadEvent {
  int64_t wall_ns = 0;
  uint32_t pid = 0;
  uint32_t tid = 0;
  HostRef host = nullptr;
  std::optional<std::string> comm;
  ContextRef context;
};

struct DecodedProcessEvent : ThreadEvent {
  ProcessEventKind kind = ProcessEventKind::kExit;
  uint32_t child_pid = 0;
  uint32_t child_tid = 0;
  uint32_t old_tid = 0;
  ExitStatus status;
};

// A signal, where strace shows "--- SIGCHLD {si_signo=SIGCHLD, ...} ---".
struct DecodedSignal : ThreadEvent {
  SignalKind kind = SignalKind::kDelivered;
  int32_t signo = 0;
  std::string name;               // "SIGCHLD", "SIGRT_3"
  Aggregate info;                 // the siginfo, as strace shows it
  std::optional<Value> handler;   // kDelivered: SIG_DFL, SIG_IGN or the handler's address
  std::optional<Value> sa_flags;  // kDelivered: the action's flags
  std::optional<uint32_t> sender_pid;  // kIgnored and kFatal: the task current when it was sent
  std::optional<uint32_t> sender_tid;
};

// A gap: `count` records of any kind were lost on `cpu` between
// first_wall_ns and last_wall_ns (CLOCK_REALTIME ns); wall_ns is when the
// gap was noticed, just before that CPU's next record.
struct DecodedLoss {
  int64_t wall_ns = 0;
  uint16_t cpu = 0;
  uint64_t count = 0;
  int64_t first_wall_ns = 0;
  int64_t last_wall_ns = 0;
  HostRef host = nullptr;
};

inline ThreadKey thread_of(const DecodedCall& call) { return {call.host, call.tid}; }
inline ThreadKey thread_of(const ThreadEvent& event) { return {event.host, event.tid}; }

}  // namespace etrace::decode
