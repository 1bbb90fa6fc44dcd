// etrace-capture --check: whether a capture will work on this kernel, the
// features it found and the paths it takes, and what each BPF program cost
// the verifier.
#pragma once

#include <ostream>
#include <string>

#include "capture/kernel_features.h"

namespace etrace::capture {

class Tracer;

// The verification budget: every program must verify in at most this many
// processed instructions (a fifth of the kernel's limit), on every kernel.
constexpr long long kVerifierBudget = 200'000;

struct CheckResult {
  const KernelFeatures& kernel;
  const Tracer* tracer = nullptr;  // loaded as a capture would, or null
  std::string load_error;          // why it was not
  int flush_error = 0;             // running a program on a chosen CPU
};

// Prints the report; returns 0 when a capture will work, 1 otherwise (with
// the reason as the last line).
int print_check_report(std::ostream& out, const CheckResult& r);

}  // namespace etrace::capture
