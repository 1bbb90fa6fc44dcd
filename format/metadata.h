// The JSON-bodied blocks of a capture file, as C++ values. Readers accept
// missing members (older writers) and ignore unknown ones (newer writers).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "format/file_layout.h"

namespace etrace::format {

struct HostInfo {
  std::string hostname;
  std::string kernel_release;  // uname -r
  std::string kernel_version;  // uname -v
  std::string machine;         // uname -m
  uint32_t page_size = 0;
  uint32_t cpus = 0;
};

// The wall-clock time of a CLOCK_MONOTONIC timestamp: monotonic_ns +
// realtime_offset_ns. Neither is bounded in a damaged file, so the sum is
// held at the ends of the int64_t range rather than wrapping into another
// century.
inline int64_t wall_clock_ns(uint64_t monotonic_ns, int64_t realtime_offset_ns) {
  const __int128 wall = static_cast<__int128>(monotonic_ns) + realtime_offset_ns;
  return wall > INT64_MAX ? INT64_MAX : wall < INT64_MIN ? INT64_MIN : static_cast<int64_t>(wall);
}

struct CaptureInfo {
  std::string etrace_version;
  std::vector<std::string> argv;        // etrace-capture's own command line
  int64_t realtime_offset_ns = 0;       // CLOCK_REALTIME - CLOCK_MONOTONIC at start
  uint64_t start_ns = 0;                // CLOCK_MONOTONIC when tracing was attached
  std::vector<uint32_t> pids;
  std::vector<std::string> comms;
  std::vector<std::string> syscalls;    // as given with -s; empty: all
  std::vector<std::string> command;     // run-a-command mode
  std::vector<std::string> cgroups;     // --cgroup/--container: paths from the cgroup v2 root (1.2)
  bool follow = true;
  uint64_t buffer_bytes = 0;
};

struct SyscallTable {
  std::string source;  // where the numbering came from
  std::map<uint32_t, std::string> names;
  // The tracepoint name of each syscall that has one on the capturing
  // kernel: its formats are "sys_enter_<event>" and "sys_exit_<event>".
  // Usually the name itself; "newstat" for stat, "umount" for umount2.
  std::map<uint32_t, std::string> events;
};

struct TracepointFormats {
  std::map<std::string, std::string> formats;  // "sys_enter_openat" -> format file text
};

// One op of a syscall's copy plan (struct etrace_copy_op in records.h), with
// what the decoder needs to read its bytes: the BTF type they hold.
struct CopyOp {
  uint8_t kind = 0;        // enum etrace_copy_kind
  uint8_t arg = 0;         // an argument register, ETRACE_ARG_RET or ETRACE_ARG_SP
  uint8_t len_source = 0;  // enum etrace_len_source
  uint8_t len_arg = 0;
  uint16_t flags = 0;      // enum etrace_copy_op_flags
  uint32_t size = 0;
  std::string type;        // BTF type name of the bytes ("stat"), empty for strings and raw bytes
  uint32_t btf_id = 0;     // its id in the capture's BTF block; 0 when none
  // Added to the address (1.3); with ETRACE_OP_INDIRECT, where the pointer
  // to follow lies in the struct at `arg` (1.4).
  int16_t offset = 0;
  std::string member;      // ETRACE_OP_INDIRECT: the struct member at `offset` (1.4)
};

// The plans of a multiplexed syscall's commands (1.4): a call whose
// (uint32_t)args[arg] & mask is a key of `plans` ran that plan instead of
// the syscall's own; its items' op indexes count on from the syscall's ops.
struct CommandPlans {
  uint8_t arg = 0;
  uint32_t mask = 0;
  std::map<uint32_t, std::vector<CopyOp>> plans;
};

struct CopyPlans {
  uint32_t bytes_cap = 0;   // --bytes
  uint32_t string_cap = 0;  // --string-limit
  std::map<uint32_t, std::vector<CopyOp>> syscalls;  // by number; absent: registers only
  std::map<uint32_t, CommandPlans> commands;         // by syscall number (1.4)
};

// A shared object whose functions were traced (1.2).
struct Library {
  std::string path;    // as resolved on the capturing machine
  std::string soname;  // DT_SONAME; empty when it has none
};

// One traced library function. Its index in LibraryTable::functions is the
// `func` of its records.
struct LibraryFunction {
  uint32_t library = 0;     // index in LibraryTable::libraries
  std::string name;
  uint64_t offset = 0;      // file offset of the probed instruction
  std::string prototype;    // a declaration (format/lib_prototypes.h); empty when none was known
  std::vector<CopyOp> ops;  // what was copied, as for syscalls (`arg` 6: the return value)
};

struct LibraryTable {
  std::vector<Library> libraries;
  std::vector<LibraryFunction> functions;
};

struct SyscallCounts {
  uint64_t written = 0;  // records written (enter and exit each count)
  uint64_t lost = 0;     // records the kernel could not reserve
};

struct CpuLoss {
  uint64_t lost = 0;
  uint64_t first_ns = 0;
  uint64_t last_ns = 0;
};

struct CaptureStats {
  uint64_t end_ns = 0;                  // CLOCK_MONOTONIC when capture stopped
  std::string stop_reason;
  std::map<uint32_t, SyscallCounts> syscalls;
  std::map<uint32_t, SyscallCounts> functions;  // library calls, by function index (1.2)
  SyscallCounts process_records;        // task, fork, exec and exit records
  std::map<uint32_t, CpuLoss> cpus;
  uint64_t hook_misses = 0;             // program runs the kernel skipped: events lost unattributed
  std::optional<int> command_status;    // wait(2) status of the traced command
  uint64_t total_written() const;
  uint64_t total_lost() const;
};

std::vector<uint8_t> to_block_body(const HostInfo&);
std::vector<uint8_t> to_block_body(const CaptureInfo&);
std::vector<uint8_t> to_block_body(const SyscallTable&);
std::vector<uint8_t> to_block_body(const TracepointFormats&);
std::vector<uint8_t> to_block_body(const CaptureStats&);
std::vector<uint8_t> to_block_body(const CopyPlans&);
std::vector<uint8_t> to_block_body(const LibraryTable&);

// Each says why when the body is not the JSON it should be.
Result<HostInfo> host_info_from(std::span<const uint8_t> body);
Result<CaptureInfo> capture_info_from(std::span<const uint8_t> body);
Result<SyscallTable> syscall_table_from(std::span<const uint8_t> body);
Result<TracepointFormats> tracepoint_formats_from(std::span<const uint8_t> body);
Result<CaptureStats> capture_stats_from(std::span<const uint8_t> body);
Result<CopyPlans> copy_plans_from(std::span<const uint8_t> body);
Result<LibraryTable> library_table_from(std::span<const uint8_t> body);

}  // namespace etrace::format
