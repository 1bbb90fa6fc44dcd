// --stats as one report: the accumulator's totals, sorted, joined with what
// only the capture file knows (the trailer's exact loss counts, when capture
// started and stopped). The text and the JSON renderings both print this
// report, so they carry the same content.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "decode/render/stats_accumulator.h"
#include "format/metadata.h"

namespace etrace::decode {

enum class StatsSort { kTime, kCalls, kErrors, kName, kP99 };
// "time", "calls", "errors", "name", "p99"; nullopt for anything else.
std::optional<StatsSort> parse_stats_sort(std::string_view name);
const char* stats_sort_name(StatsSort sort);

// What the report needs from the capture file besides its events.
struct StatsSources {
  std::optional<format::CaptureStats> trailer;
  std::optional<uint64_t> start_ns;           // CLOCK_MONOTONIC, from the capture block
  std::map<uint32_t, std::string> names;      // the capture's syscall table
};

struct SyscallRow {  // one syscall, or the total of them all
  std::string name;
  uint64_t calls = 0;
  uint64_t errors = 0;
  uint64_t timed = 0;  // calls with a latency; the rest did not finish in the capture
  uint64_t total_ns = 0;
  // Of the timed calls; empty when there are none.
  std::optional<uint64_t> avg_ns, p50_ns, p99_ns, max_ns;
  uint32_t time_hundredths = 0;  // share of all the time spent in calls, in 1/100 of a percent
};

struct ProcessRow {
  std::string host;  // when captures of several hosts are merged
  uint32_t pid = 0;
  std::string comm;
  uint64_t calls = 0;
  uint64_t errors = 0;
  uint64_t total_ns = 0;
  uint64_t signals = 0;  // received
};

struct SignalRow {
  std::string name;  // "SIGCHLD"
  SignalTotals totals;
};

struct ErrnoRow {
  std::string name;  // "ENOENT", or the number when it has no name
  std::string message;
  uint64_t count = 0;
  std::vector<std::pair<std::string, uint64_t>> syscalls;  // most first
};

struct CpuRow {
  uint32_t cpu = 0;
  uint64_t lost = 0;  // the trailer's exact count; the gap records' without a trailer
  uint64_t gaps = 0;  // gap records in the stream
};

struct StatsReport {
  StatsSort sort = StatsSort::kTime;
  std::vector<SyscallRow> syscalls;
  SyscallRow total;
  std::vector<ProcessRow> processes;
  std::vector<ErrnoRow> errors;
  std::vector<SignalRow> signals;  // most received first, ties by name

  // Losses. Exact when the capture has its statistics trailer (`trailer`);
  // otherwise only the gap records' counts per CPU are known.
  bool trailer = false;
  uint64_t records_written = 0;
  uint64_t records_lost = 0;
  std::vector<std::pair<std::string, uint64_t>> lost_by_syscall;  // records, most first
  uint64_t lost_process_records = 0;
  uint64_t lost_unattributed = 0;  // BPF program runs the kernel skipped
  std::vector<CpuRow> cpus;

  // From the capture's start to its stop when the file says both, else
  // from the first event decoded to the last.
  std::optional<uint64_t> duration_ns;
  bool duration_from_capture = false;
  std::optional<uint64_t> records_per_s;  // with a trailer and a duration
  std::optional<uint64_t> calls_per_s;

  // --histogram: log2 latency counts per requested syscall, in the order asked.
  std::vector<std::pair<std::string, std::vector<uint64_t>>> histograms;
};

StatsReport build_stats_report(const StatsAccumulator& totals, const StatsSources& sources, StatsSort sort,
                               const std::vector<std::string>& histograms = {});

}  // namespace etrace::decode
