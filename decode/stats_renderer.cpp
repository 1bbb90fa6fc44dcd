#include "decode/stats_renderer.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace etrace::decode {

void StatsRenderer::call(const DecodedCall& call) {
  // Every call is counted once, when it ends (or is left unfinished); only
  // completed calls have a duration.
  if (call.phase == CallPhase::kEntered) return;
  // Library functions as "name()", apart from syscalls of the same name.
  Row& row = rows_[call.library ? call.syscall + "()" : call.syscall];
  row.calls++;
  if (call.duration_ns) row.ns += *call.duration_ns;
  if (call.ret && call.ret->error) row.errors++;
}

void StatsRenderer::loss(const DecodedLoss& loss) {
  CpuGaps& g = gaps_[loss.cpu];
  g.gaps++;
  g.lost += loss.count;
}

// The trailer's count is exact; gap records miss losses that no later
// record on that CPU revealed, so their counts stand in only without it.
void StatsRenderer::print_loss_by_cpu() {
  std::map<uint32_t, CpuGaps> rows = gaps_;
  if (trailer_) {
    for (auto& [cpu, row] : rows) row.lost = 0;
    for (const auto& [cpu, l] : trailer_->cpus)
      if (l.lost) rows[cpu].lost = l.lost;
  }
  if (rows.empty()) return;
  out_ << "\n   cpu      lost      gaps\n";
  char line[64];
  for (const auto& [cpu, row] : rows) {
    std::snprintf(line, sizeof(line), "%6u %9llu %9llu\n", cpu, static_cast<unsigned long long>(row.lost),
                  static_cast<unsigned long long>(row.gaps));
    out_ << line;
  }
}

void StatsRenderer::finish() {
  std::vector<std::pair<std::string, Row>> rows(rows_.begin(), rows_.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.second.ns != b.second.ns) return a.second.ns > b.second.ns;
    if (a.second.calls != b.second.calls) return a.second.calls > b.second.calls;
    return a.first < b.first;
  });
  Row total;
  for (const auto& [name, r] : rows) {
    total.ns += r.ns;
    total.calls += r.calls;
    total.errors += r.errors;
  }
  const char* rule = "------ ----------- ----------- --------- --------- ----------------\n";
  char line[256];
  auto print = [&](const std::string& name, const Row& r, bool is_total) {
    const double pct = total.ns ? 100.0 * static_cast<double>(r.ns) / static_cast<double>(total.ns)
                                : (is_total ? 100.0 : 0.0);
    const unsigned long long per_call = r.calls ? r.ns / 1000 / r.calls : 0;
    std::string errors = r.errors ? std::to_string(r.errors) : "";
    std::snprintf(line, sizeof(line), "%6.2f %11.6f %11llu %9llu %9s %s\n", pct,
                  static_cast<double>(r.ns) / 1e9, per_call, static_cast<unsigned long long>(r.calls),
                  errors.c_str(), name.c_str());
    out_ << line;
  };
  out_ << "% time     seconds  usecs/call     calls    errors syscall\n" << rule;
  for (const auto& [name, r] : rows) print(name, r, false);
  out_ << rule;
  print("total", total, true);

  if (trailer_) {
    const uint64_t written = trailer_->total_written();
    const uint64_t lost = trailer_->total_lost();
    out_ << "\ncapture: " << written << " records written, " << lost << " lost";
    if (lost) out_ << " (the ring buffer was full; some calls are missing or unpaired)";
    out_ << "\n";
  } else {
    warnings_ << "etrace-decode: warning: the capture has no statistics trailer (capture did not stop cleanly), "
                 "so records lost in the kernel are unknown\n";
  }
  print_loss_by_cpu();
  out_.flush();
}

}  // namespace etrace::decode
