// The latencies of one syscall's calls, in memory bounded whatever the
// capture's length: a log-linear histogram (as HdrHistogram keeps them).
// Values below 256 ns have a bucket each; above, every power of two is
// split into 128 buckets, so a bucket's width is at most 1/128 of the values
// in it. Count, total, minimum and maximum are exact.
//
// Percentiles come from the buckets rather than from every duration sorted:
// exact ones would keep 8 bytes per call (a 10 s storm is 12 M calls, 96 MB,
// then a sort), where this keeps at most 7.5 K counters per syscall, and the
// error, under 0.8%, is far below the jitter of a single call's latency.
#pragma once

#include <cstdint>
#include <vector>

namespace etrace::decode {

class LatencyHistogram {
 public:
  void add(uint64_t ns);
  // Adds another histogram's calls (the total row of --stats).
  void merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  uint64_t total_ns() const { return total_; }
  uint64_t min_ns() const { return min_; }  // 0 when empty
  uint64_t max_ns() const { return max_; }

  // The p-th percentile (0 < p <= 100) by nearest rank: the value at rank
  // ceil(p/100 * count) of the sorted durations, or above it by less than
  // 1/128 of it (the top of its bucket), never above the maximum. 0 when empty.
  uint64_t percentile(double p) const;

  // Counts by power of two, as bpftrace's hist() buckets them: [0] holds 0
  // ns, [1] 1 ns, then [k + 1] the values in [2^k, 2^(k+1)). Exact: a
  // log-linear bucket never straddles a power of two. Empty when count is 0.
  std::vector<uint64_t> log2_counts() const;

 private:
  std::vector<uint64_t> buckets_;  // grown to the highest bucket used
  uint64_t count_ = 0;
  uint64_t total_ = 0;
  uint64_t min_ = 0;
  uint64_t max_ = 0;
};

}  // namespace etrace::decode
