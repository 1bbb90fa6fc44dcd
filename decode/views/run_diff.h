// etrace-decode --diff A B: two runs of the same program compared process
// by process. The k-th process of a program in A is paired with the k-th
// of that program in B (in the order they appeared: pids differ between
// runs, the order a program starts its children seldom does); for each
// pair, the paths only one of them named, the errors B met that A did not,
// and the syscalls whose average latency changed most.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "decode/views/run_profile.h"

namespace etrace::decode {

struct LatencyChange {
  std::string syscall;
  Latency a;
  Latency b;
  int64_t change_ns() const { return b.average_ns() - a.average_ns(); }
};

struct ProcessDiff {
  std::string program;
  std::optional<uint32_t> pid_a;  // none: the process ran only in B
  std::optional<uint32_t> pid_b;  // none: only in A
  std::vector<std::string> paths_only_a;
  std::vector<std::string> paths_only_b;
  std::vector<std::pair<CallError, uint64_t>> new_errors;  // in B, not in A, with B's count
  std::vector<LatencyChange> latency;  // syscalls timed in both whose average changed, largest change first

  // "A" or "B" for a process that ran in only that run; none when paired.
  std::optional<std::string_view> only_in() const {
    if (!pid_b) return "A";
    if (!pid_a) return "B";
    return std::nullopt;
  }
};

// `top`: how many latency changes to keep per process.
std::vector<ProcessDiff> diff_runs(const std::vector<ProcessProfile>& a, const std::vector<ProcessProfile>& b,
                                   size_t top = 5);

// As text, `a_name` and `b_name` naming the runs (as JSON Lines:
// run_diff_json.h).
void write_run_diff(std::ostream& out, const std::vector<ProcessDiff>& diffs, const std::string& a_name,
                    const std::string& b_name);

}  // namespace etrace::decode
