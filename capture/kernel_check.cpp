#include "capture/kernel_check.h"

#include <sys/utsname.h>

#include <cstring>
#include <iomanip>

#include "capture/tracer.h"

namespace etrace::capture {

namespace {

void print_features(std::ostream& out, const KernelFeatures& kernel) {
  for (const auto& f : kernel.all) {
    out << "feature  " << std::left << std::setw(38) << f.name << std::setw(4) << (f.present ? "yes" : "no");
    if (!f.since.empty()) out << "  (Linux " << f.since << ")";
    if (!f.present && !f.without.empty()) out << ": " << f.without;
    out << "\n";
  }
  out << "path     per-thread state in " << (kernel.task_btf ? "task storage" : "a hash map by thread id") << "\n";
  out << "path     library calls " << (kernel.library_calls() ? (kernel.uprobe_multi ? "through multi-uprobe links" : "through one uprobe link per function") : "not available") << "\n";
}

// One line per program; false when one is over the budget.
bool print_programs(std::ostream& out, const Tracer& tracer) {
  bool within = true;
  for (const auto& p : tracer.programs()) {
    out << "program  " << std::left << std::setw(20) << p.name << " verified_insns " << std::right << std::setw(7);
    if (p.verified_insns >= 0) out << p.verified_insns;
    else out << "?";
    out << "  verify_ms ";
    if (p.verify_usec >= 0) out << std::fixed << std::setprecision(1) << p.verify_usec / 1000.0;
    else out << "?";
    if (p.verified_insns > kVerifierBudget) {
      out << "  OVER THE BUDGET of " << kVerifierBudget;
      within = false;
    }
    out << "\n";
  }
  out << "load     " << std::fixed << std::setprecision(1) << tracer.load_ns() / 1e6 << " ms for the whole object\n";
  return within;
}

}  // namespace

int print_check_report(std::ostream& out, const CheckResult& r) {
  struct utsname u {};
  uname(&u);
  out << "kernel   Linux " << u.release << " " << u.machine << "\n";
  print_features(out, r.kernel);
  std::string verdict, warning;
  if (auto usable = r.kernel.can_capture(); !usable) {
    verdict = usable.error().message;
  } else if (!r.tracer) {
    verdict = r.load_error;
  } else {
    const bool within = print_programs(out, *r.tracer);
    if (r.flush_error)
      verdict = std::string("this kernel cannot run a BPF program on a chosen CPU (BPF_F_TEST_RUN_ON_CPU, Linux 5.10): ") +
                std::strerror(-r.flush_error);
    else if (!within)
      warning = "a program verifies in more than " + std::to_string(kVerifierBudget) +
                " instructions: it loads, but nearer the kernel's limit than etrace allows itself (please report it)";
  }
  if (!warning.empty()) out << "warning  " << warning << "\n";
  if (verdict.empty()) {
    out << "result   a capture will work on this kernel\n";
    return 0;
  }
  out << "result   " << verdict << "\n";
  return 1;
}

}  // namespace etrace::capture
