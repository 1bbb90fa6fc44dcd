#include "decode/render/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace etrace::decode {
namespace {

constexpr unsigned kSubBits = 7;  // 128 buckets per power of two
constexpr uint64_t kSub = uint64_t{1} << kSubBits;

// Values below 2 * kSub are their own bucket. Above, a value of bit width
// w keeps its top kSubBits + 1 bits: `shift` low bits are dropped, and the
// kept part, in [kSub, 2 * kSub), follows the buckets of narrower values.
size_t bucket_of(uint64_t ns) {
  if (ns < 2 * kSub) return ns;
  const unsigned shift = static_cast<unsigned>(std::bit_width(ns)) - kSubBits - 1;
  return shift * kSub + (ns >> shift);
}

uint64_t bucket_low(size_t bucket) {
  if (bucket < 2 * kSub) return bucket;
  const uint64_t shift = bucket / kSub - 1;
  return (bucket - shift * kSub) << shift;
}

uint64_t bucket_high(size_t bucket) {
  if (bucket < 2 * kSub) return bucket;
  const uint64_t shift = bucket / kSub - 1;
  return bucket_low(bucket) + ((uint64_t{1} << shift) - 1);
}

}  // namespace

void LatencyHistogram::add(uint64_t ns) {
  const size_t b = bucket_of(ns);
  if (b >= buckets_.size()) buckets_.resize(b + 1);
  buckets_[b]++;
  min_ = count_ == 0 ? ns : std::min(min_, ns);
  max_ = std::max(max_, ns);
  count_++;
  total_ += ns;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  if (other.buckets_.size() > buckets_.size()) buckets_.resize(other.buckets_.size());
  for (size_t b = 0; b < other.buckets_.size(); ++b) buckets_[b] += other.buckets_[b];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  total_ += other.total_;
}

uint64_t LatencyHistogram::percentile(double p) const {
  if (count_ == 0) return 0;
  const auto wanted = static_cast<double>(count_) * p / 100.0;
  const uint64_t rank = std::clamp<uint64_t>(static_cast<uint64_t>(std::ceil(wanted)), 1, count_);
  uint64_t seen = 0;
  for (size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= rank) return std::clamp(bucket_high(b), min_, max_);
  }
  return max_;
}

std::vector<uint64_t> LatencyHistogram::log2_counts() const {
  std::vector<uint64_t> out;
  for (size_t b = 0; b < buckets_.size(); ++b) {
    if (!buckets_[b]) continue;
    const auto slot = static_cast<size_t>(std::bit_width(bucket_low(b)));
    if (slot >= out.size()) out.resize(slot + 1);
    out[slot] += buckets_[b];
  }
  return out;
}

}  // namespace etrace::decode
