// A log2 histogram drawn as bpftrace's hist() prints one: a row per power of
// two from the first non-empty bucket to the last, labelled "[0]", "[1]",
// "[2, 4)", ... "[1K, 2K)" (K, M, G, T, P, E: powers of 1024), the count,
// and a bar of '@' scaled to the largest count, 52 wide.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace etrace::decode {

// `counts` as LatencyHistogram::log2_counts() gives them; "" when all are 0.
std::string log2_histogram_text(const std::vector<uint64_t>& counts);

// The lower bound of log2 bucket `slot` (0, 1, 2, 4, ...), and the bound
// it stops short of (1, 2, 4, 8, ...).
uint64_t log2_bucket_low(size_t slot);
uint64_t log2_bucket_end(size_t slot);

}  // namespace etrace::decode
