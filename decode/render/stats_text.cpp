#include "decode/render/stats_text.h"

#include <cstdio>
#include <string>

#include "decode/render/histogram_text.h"

namespace etrace::decode {
namespace {

// Microseconds with nanoseconds as decimals: "1000.000"; "-" when unknown.
std::string micros(std::optional<uint64_t> ns) {
  if (!ns) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%llu.%03llu", static_cast<unsigned long long>(*ns / 1000),
                static_cast<unsigned long long>(*ns % 1000));
  return buf;
}

std::string seconds(uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%llu.%06llu", static_cast<unsigned long long>(ns / 1'000'000'000),
                static_cast<unsigned long long>(ns % 1'000'000'000 / 1000));
  return buf;
}

void write_syscalls(std::ostream& out, const StatsReport& report) {
  const char* rule =
      "------ ----------- ----------- --------- --------- ----------- ----------- ----------- ----------------\n";
  char line[320];
  auto print = [&](const SyscallRow& r) {
    const std::string errors = r.errors ? std::to_string(r.errors) : "";
    std::snprintf(line, sizeof(line), "%3u.%02u %11s %11s %9llu %9s %11s %11s %11s %s\n", r.time_hundredths / 100,
                  r.time_hundredths % 100, seconds(r.total_ns).c_str(), micros(r.avg_ns).c_str(),
                  static_cast<unsigned long long>(r.calls), errors.c_str(), micros(r.p50_ns).c_str(),
                  micros(r.p99_ns).c_str(), micros(r.max_ns).c_str(), r.name.c_str());
    out << line;
  };
  out << "% time     seconds  usecs/call     calls    errors   p50 usecs   p99 usecs   max usecs syscall\n" << rule;
  for (const auto& r : report.syscalls) print(r);
  out << rule;
  print(report.total);
  if (const uint64_t untimed = report.total.calls - report.total.timed)
    out << "(" << untimed << (untimed == 1 ? " call has" : " calls have")
        << " no latency: never returned (exit_group), still running when the capture stopped, or begun before it; "
           "counted in calls and errors, not in time)\n";
}

void write_processes(std::ostream& out, const StatsReport& report) {
  if (report.processes.empty()) return;
  char line[160];
  // Signals received, when the capture has any (captures before 1.3 have none).
  const bool signals = !report.signals.empty();
  out << "\n     pid comm                 calls    errors     seconds" << (signals ? "   signals" : "")
      << (report.processes.front().host.empty() ? "\n" : " host\n");
  for (const auto& p : report.processes) {
    std::snprintf(line, sizeof(line), "%8u %-16s %9llu %9llu %11s", p.pid, p.comm.empty() ? "?" : p.comm.c_str(),
                  static_cast<unsigned long long>(p.calls), static_cast<unsigned long long>(p.errors),
                  seconds(p.total_ns).c_str());
    out << line;
    if (signals) {
      std::snprintf(line, sizeof(line), " %9llu", static_cast<unsigned long long>(p.signals));
      out << line;
    }
    if (!p.host.empty()) out << " " << p.host;
    out << "\n";
  }
}

void write_signals(std::ostream& out, const StatsReport& report) {
  if (report.signals.empty()) return;
  char line[128];
  out << "\nsignal               count   handled   default   ignored\n";
  for (const auto& s : report.signals) {
    std::snprintf(line, sizeof(line), "%-16s %9llu %9llu %9llu %9llu\n", s.name.c_str(),
                  static_cast<unsigned long long>(s.totals.count()), static_cast<unsigned long long>(s.totals.handled),
                  static_cast<unsigned long long>(s.totals.defaulted),
                  static_cast<unsigned long long>(s.totals.ignored));
    out << line;
  }
}

void write_errors(std::ostream& out, const StatsReport& report) {
  if (report.errors.empty()) return;
  char line[64];
  out << "\nerrno                count syscalls\n";
  for (const auto& e : report.errors) {
    std::snprintf(line, sizeof(line), "%-16s %9llu ", e.name.c_str(), static_cast<unsigned long long>(e.count));
    out << line;
    for (size_t i = 0; i < e.syscalls.size(); ++i)
      out << (i ? ", " : "") << e.syscalls[i].first << " " << e.syscalls[i].second;
    out << "\n";
  }
}

void write_losses(std::ostream& out, const StatsReport& report) {
  char line[96];
  if (report.trailer) {
    out << "\ncapture: " << report.records_written << " records written, " << report.records_lost << " lost";
    if (report.records_lost) out << " (the ring buffer was full; some calls are missing or unpaired)";
    out << "\n";
    if (report.records_lost) {
      out << "\n     lost syscall\n";
      auto row = [&](uint64_t n, const std::string& what) {
        std::snprintf(line, sizeof(line), "%9llu %s\n", static_cast<unsigned long long>(n), what.c_str());
        out << line;
      };
      for (const auto& [name, n] : report.lost_by_syscall) row(n, name);
      if (report.lost_process_records) row(report.lost_process_records, "(process events)");
      if (report.lost_unattributed) row(report.lost_unattributed, "(program runs the kernel skipped)");
    }
  }
  if (report.cpus.empty()) return;
  out << "\n   cpu      lost      gaps\n";
  for (const auto& c : report.cpus) {
    std::snprintf(line, sizeof(line), "%6u %9llu %9llu\n", c.cpu, static_cast<unsigned long long>(c.lost),
                  static_cast<unsigned long long>(c.gaps));
    out << line;
  }
}

void write_duration(std::ostream& out, const StatsReport& report) {
  if (!report.duration_ns) return;
  out << "\nduration: " << seconds(*report.duration_ns) << " s"
      << (report.duration_from_capture ? " (capture start to stop)" : " (first event to last)");
  if (report.records_per_s) out << "; " << *report.records_per_s << " records/s";
  if (report.calls_per_s) out << (report.records_per_s ? ", " : "; ") << *report.calls_per_s << " calls/s";
  out << "\n";
}

}  // namespace

void write_histograms_text(std::ostream& out, const StatsReport& report) {
  bool first = true;
  for (const auto& [name, counts] : report.histograms) {
    if (!first) out << "\n";
    first = false;
    const std::string drawing = log2_histogram_text(counts);
    out << "@ns[" << name << "]:" << (drawing.empty() ? " no completed calls\n" : "\n") << drawing;
  }
}

void write_stats_text(std::ostream& out, const StatsReport& report) {
  write_syscalls(out, report);
  write_processes(out, report);
  write_signals(out, report);
  write_errors(out, report);
  write_losses(out, report);
  write_duration(out, report);
  if (report.histograms.empty()) return;
  out << "\n";
  write_histograms_text(out, report);
}

}  // namespace etrace::decode
