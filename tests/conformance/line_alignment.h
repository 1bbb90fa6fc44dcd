// Matching one tracer's call lines against the other's, thread by thread.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tests/conformance/normalise.h"

namespace etrace::conformance {

// A call whose lines differ, or that only one tracer shows (the other's
// line is then empty).
struct Mismatch {
  std::string name;
  std::string strace_line;
  std::string etrace_line;
};

struct Comparison {
  size_t strace_lines = 0;
  size_t etrace_lines = 0;
  size_t matched = 0;  // lines equal in both, in the same order
  std::vector<Mismatch> mismatches;  // in the order of strace's lines
};

// Aligns two sequences of one thread: lines pair up only when they are
// calls of the same name, and the alignment maximises first the pairs that
// are equal, then the pairs of the same call (a longest common subsequence
// with those weights). Equal pairs count as matched; the other pairs and
// the lines left unpaired are mismatches.
Comparison compare_lines(const std::vector<std::string>& strace, const std::vector<std::string>& etrace);

// compare_lines over the threads P1, P2... of both traces; a thread only
// one trace has counts wholly as mismatches.
Comparison compare_traces(const NormalisedTrace& strace, const NormalisedTrace& etrace);

}  // namespace etrace::conformance
