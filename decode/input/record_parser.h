// Turns the raw bytes of one ring-buffer record (format/records.h) into a
// typed value. Records are read with memcpy (frames give no alignment
// guarantee); a record longer than its layout is from a newer writer that
// appended fields, and its known prefix is used.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/result.h"
#include "format/process_context.h"

namespace etrace::decode {

struct RecordHeader {
  uint16_t cpu = 0;
  uint16_t nr = 0;
  uint64_t ts_ns = 0;  // CLOCK_MONOTONIC
  uint32_t tgid = 0;
  uint32_t tid = 0;
};

// Bytes the capture copied for an argument (struct etrace_payload): `op`
// indexes the syscall's copy plan in the file.
struct PayloadItem {
  uint8_t op = 0;
  uint8_t flags = 0;       // enum etrace_payload_flags
  uint32_t full_len = 0;
  std::string bytes;
};

struct SysEnterRecord {
  RecordHeader h;
  std::array<uint64_t, 6> args{};
  std::vector<PayloadItem> payloads;  // inputs
  std::string payload_error;          // why items past the good ones were dropped
};
struct SysExitRecord {
  RecordHeader h;
  int64_t ret = 0;
  std::vector<PayloadItem> payloads;  // outputs
  std::string payload_error;
};
struct TaskRecord {
  RecordHeader h;
  uint32_t ppid = 0;
  std::string comm;
};
struct ForkRecord {
  RecordHeader h;  // the parent
  uint32_t child_tgid = 0;
  uint32_t child_tid = 0;
};
struct ExecRecord {
  RecordHeader h;  // tid after exec
  uint32_t old_tid = 0;
  std::string comm;
};
struct TaskExitRecord {
  RecordHeader h;
  int32_t exit_code = 0;  // wait(2) status
  bool group_dead = false;
};

struct LossRecord {
  RecordHeader h;  // ts_ns: when the gap was noticed
  uint64_t count = 0;
  uint64_t first_ts_ns = 0;
  uint64_t last_ts_ns = 0;
};

// A library call's entry and return (1.2): `func` indexes the capture's
// libraries block; `depth` counts the thread's traced library calls under
// way outside this one.
struct LibEnterRecord {
  RecordHeader h;
  uint32_t func = 0;
  uint32_t depth = 0;
  std::array<uint64_t, 6> args{};
  std::vector<PayloadItem> payloads;
  std::string payload_error;
};
struct LibExitRecord {
  RecordHeader h;
  uint32_t func = 0;
  uint32_t depth = 0;
  int64_t ret = 0;
  std::vector<PayloadItem> payloads;
  std::string payload_error;
};

// A descriptor of process h.tgid when tracing started (1.2); fd -100 is its
// working directory.
struct FdRecord {
  RecordHeader h;
  int32_t fd = 0;
  uint32_t flags = 0;  // open flags (O_CLOEXEC among them)
  std::string target;  // readlink of /proc/PID/fd/FD
};

// A signal the thread met (1.3): delivered to it, or sent to it and ignored
// or fatal at once. The header's tgid and tid are the receiver's.
struct SignalRecord {
  RecordHeader h;
  int32_t signo = 0;
  uint32_t kind = 0;         // enum etrace_signal_kind
  uint64_t handler = 0;      // delivered: sa_handler
  uint64_t sa_flags = 0;     // delivered
  uint32_t sender_tgid = 0;  // ignored, fatal: the task current when it was sent
  uint32_t sender_tid = 0;
  std::string info;          // the siginfo's first 48 bytes
};

// A task's context, first seen or changed (1.2). The header's tgid and tid
// are facts.pid and facts.tid.
struct ContextRecord {
  RecordHeader h;
  format::ContextFacts facts;
  std::string payload_error;
};

using Record = std::variant<SysEnterRecord, SysExitRecord, TaskRecord, ForkRecord, ExecRecord, TaskExitRecord,
                            LossRecord, ContextRecord, FdRecord, LibEnterRecord, LibExitRecord, SignalRecord>;

// nullopt for a record type this decoder does not know (skipped); an error
// for a known type whose record is shorter than its layout.
Result<std::optional<Record>> parse_record(std::span<const uint8_t> bytes);

const RecordHeader& header_of(const Record& r);

// A call record whose payload items were damaged keeps its fixed part
// and the items before the damage; this says what went wrong ("" if nothing).
const std::string& payload_error_of(const Record& r);

}  // namespace etrace::decode
