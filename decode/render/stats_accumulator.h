// Adds up what --stats reports, as events are decoded: per syscall its
// calls, errors and latencies; per process and per errno the same counts,
// and the signals each process received; per signal what became of it;
// per CPU the gaps the kernel marked; the span of time the events cover.
// It keeps counters and histograms, never events, so its memory does not
// grow with the capture. The decoder's filters apply before it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "decode/render/latency_histogram.h"
#include "decode/render/output.h"

namespace etrace::decode {

struct SyscallTotals {
  uint64_t calls = 0;
  uint64_t errors = 0;
  // Completed calls only: a call that did not return in the capture, or
  // whose entry it missed, has no latency. calls - latency.count() of them.
  LatencyHistogram latency;
};

struct ProcessTotals {
  std::string comm;  // the last seen (after an exec, the new program's)
  uint64_t calls = 0;
  uint64_t errors = 0;
  uint64_t ns = 0;
  uint64_t signals = 0;  // received
};

// What became of one signal, each time it was received.
struct SignalTotals {
  uint64_t handled = 0;    // a handler ran
  uint64_t defaulted = 0;  // its default action (which may be to do nothing)
  uint64_t ignored = 0;    // ignored (SIG_IGN, or sent while ignored)
  uint64_t count() const { return handled + defaulted + ignored; }
};

struct ErrnoTotals {
  std::string message;
  uint64_t count = 0;
  std::map<std::string, uint64_t> syscalls;  // how many each syscall returned
};

struct CpuGaps {
  uint64_t gaps = 0;
  uint64_t lost = 0;  // as the gap records count them
};

class StatsAccumulator : public Output {
 public:
  void call(const DecodedCall& call) override;
  void process(const DecodedProcessEvent& event) override;
  void loss(const DecodedLoss& loss) override;
  void signal(const DecodedSignal& signal) override;

  const std::map<std::string, SyscallTotals>& syscalls() const { return syscalls_; }
  const std::map<std::string, SignalTotals>& signals() const { return signals_; }
  // By host (empty for one capture) and pid: pids repeat across hosts.
  using ProcessKey = std::pair<std::string, uint32_t>;
  const std::map<ProcessKey, ProcessTotals>& processes() const { return processes_; }
  const std::map<std::string, ErrnoTotals>& errors() const { return errors_; }
  const std::map<uint32_t, CpuGaps>& gaps() const { return gaps_; }
  // Wall-clock ns of the earliest and latest event seen; empty without events.
  std::optional<int64_t> first_wall_ns() const { return first_; }
  std::optional<int64_t> last_wall_ns() const { return last_; }

 private:
  void saw(std::optional<int64_t> wall_ns);

  std::map<std::string, SyscallTotals> syscalls_;
  std::map<ProcessKey, ProcessTotals> processes_;
  std::map<std::string, ErrnoTotals> errors_;
  std::map<std::string, SignalTotals> signals_;  // by name
  std::map<uint32_t, CpuGaps> gaps_;
  std::optional<int64_t> first_;
  std::optional<int64_t> last_;
};

}  // namespace etrace::decode
