#include "decode/render/histogram_text.h"

#include <algorithm>
#include <cstdio>

namespace etrace::decode {
namespace {

constexpr int kBarWidth = 52;

// 2^power as bpftrace writes it: 512, 1K, 64M.
std::string power_label(unsigned power) {
  static constexpr const char* kSuffixes[] = {"", "K", "M", "G", "T", "P", "E"};
  return std::to_string(uint64_t{1} << (power % 10)) + kSuffixes[power / 10];
}

std::string slot_label(size_t slot) {
  if (slot < 2) return "[" + std::to_string(slot) + "]";
  const auto power = static_cast<unsigned>(slot - 1);
  return "[" + power_label(power) + ", " + power_label(power + 1) + ")";
}

}  // namespace

uint64_t log2_bucket_low(size_t slot) { return slot == 0 ? 0 : uint64_t{1} << (slot - 1); }
uint64_t log2_bucket_end(size_t slot) { return slot == 0 ? 1 : uint64_t{1} << slot; }

std::string log2_histogram_text(const std::vector<uint64_t>& counts) {
  const auto used = [](uint64_t n) { return n != 0; };
  const auto first = std::find_if(counts.begin(), counts.end(), used);
  if (first == counts.end()) return "";
  const auto last = std::find_if(counts.rbegin(), counts.rend(), used).base();
  const uint64_t largest = *std::max_element(first, last);
  std::string out;
  char row[160];
  for (auto it = first; it != last; ++it) {
    const auto bar = static_cast<int>(static_cast<double>(*it) / static_cast<double>(largest) * kBarWidth);
    std::snprintf(row, sizeof(row), "%-16s%8llu |%-*s|\n", slot_label(static_cast<size_t>(it - counts.begin())).c_str(),
                  static_cast<unsigned long long>(*it), kBarWidth, std::string(static_cast<size_t>(bar), '@').c_str());
    out += row;
  }
  return out;
}

}  // namespace etrace::decode
