#include "tests/conformance/line_alignment.h"

#include <algorithm>
#include <cstdint>

namespace etrace::conformance {

namespace {

void append(Comparison& into, const Comparison& part) {
  into.strace_lines += part.strace_lines;
  into.etrace_lines += part.etrace_lines;
  into.matched += part.matched;
  into.mismatches.insert(into.mismatches.end(), part.mismatches.begin(), part.mismatches.end());
}

}  // namespace

Comparison compare_lines(const std::vector<std::string>& strace, const std::vector<std::string>& etrace) {
  const size_t n = strace.size(), m = etrace.size();
  // A pair of equal lines must outweigh any number of same-name pairs it
  // displaces: it scores more than all of them together could (each 1).
  const int32_t equal_weight = static_cast<int32_t>(std::min(n, m)) + 1;
  std::vector<std::string> s_names(n), e_names(m);
  std::transform(strace.begin(), strace.end(), s_names.begin(), call_name);
  std::transform(etrace.begin(), etrace.end(), e_names.begin(), call_name);

  // score[i][j]: the best alignment of strace[i..] with etrace[j..].
  std::vector<int32_t> score((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> int32_t& { return score[i * (m + 1) + j]; };
  auto pair_value = [&](size_t i, size_t j) -> int32_t {
    if (s_names[i] != e_names[j]) return -1;
    return strace[i] == etrace[j] ? equal_weight : 1;
  };
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;) {
      int32_t best = std::max(at(i + 1, j), at(i, j + 1));
      if (int32_t v = pair_value(i, j); v > 0) best = std::max(best, v + at(i + 1, j + 1));
      at(i, j) = best;
    }

  Comparison c;
  c.strace_lines = n;
  c.etrace_lines = m;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && pair_value(i, j) > 0 && at(i, j) == pair_value(i, j) + at(i + 1, j + 1)) {
      if (strace[i] == etrace[j]) ++c.matched;
      else c.mismatches.push_back({s_names[i], strace[i], etrace[j]});
      ++i, ++j;
    } else if (j == m || (i < n && at(i, j) == at(i + 1, j))) {
      c.mismatches.push_back({s_names[i], strace[i], ""});
      ++i;
    } else {
      c.mismatches.push_back({e_names[j], "", etrace[j]});
      ++j;
    }
  }
  return c;
}

Comparison compare_traces(const NormalisedTrace& strace, const NormalisedTrace& etrace) {
  Comparison total;
  static const std::vector<std::string> kNone;
  const size_t threads = std::max(strace.threads.size(), etrace.threads.size());
  for (size_t k = 0; k < threads; ++k)
    append(total, compare_lines(k < strace.threads.size() ? strace.threads[k] : kNone,
                                k < etrace.threads.size() ? etrace.threads[k] : kNone));
  return total;
}

}  // namespace etrace::conformance
