#include "decode/render/stats_report.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace etrace::decode {
namespace {

constexpr std::pair<StatsSort, const char*> kSortNames[] = {
    {StatsSort::kTime, "time"}, {StatsSort::kCalls, "calls"}, {StatsSort::kErrors, "errors"},
    {StatsSort::kName, "name"}, {StatsSort::kP99, "p99"},
};

SyscallRow row_of(std::string name, uint64_t calls, uint64_t errors, const LatencyHistogram& latency) {
  SyscallRow r;
  r.name = std::move(name);
  r.calls = calls;
  r.errors = errors;
  r.timed = latency.count();
  r.total_ns = latency.total_ns();
  if (r.timed) {
    r.avg_ns = r.total_ns / r.timed;
    r.p50_ns = latency.percentile(50);
    r.p99_ns = latency.percentile(99);
    r.max_ns = latency.max_ns();
  }
  return r;
}

uint32_t hundredths_of_percent(uint64_t part, uint64_t whole) {
  if (!whole) return 0;
  return static_cast<uint32_t>(std::llround(10000.0 * static_cast<double>(part) / static_cast<double>(whole)));
}

// Largest first; ties by name, so that the order never depends on the map.
void sort_rows(std::vector<SyscallRow>& rows, StatsSort sort) {
  std::sort(rows.begin(), rows.end(), [sort](const SyscallRow& a, const SyscallRow& b) {
    auto key = [sort](const SyscallRow& r) {
      switch (sort) {
        case StatsSort::kTime: return std::make_tuple(r.total_ns, r.calls, uint64_t{0});
        case StatsSort::kCalls: return std::make_tuple(r.calls, r.total_ns, uint64_t{0});
        case StatsSort::kErrors: return std::make_tuple(r.errors, r.calls, uint64_t{0});
        case StatsSort::kP99: return std::make_tuple(r.p99_ns.value_or(0), r.total_ns, r.calls);
        case StatsSort::kName: break;
      }
      return std::make_tuple(uint64_t{0}, uint64_t{0}, uint64_t{0});
    };
    const auto ka = key(a), kb = key(b);
    if (ka != kb) return ka > kb;
    return a.name < b.name;
  });
}

void sort_processes(std::vector<ProcessRow>& rows, StatsSort sort) {
  std::sort(rows.begin(), rows.end(), [sort](const ProcessRow& a, const ProcessRow& b) {
    switch (sort) {
      case StatsSort::kCalls:
        if (a.calls != b.calls) return a.calls > b.calls;
        break;
      case StatsSort::kErrors:
        if (a.errors != b.errors) return a.errors > b.errors;
        break;
      case StatsSort::kName:
        if (a.comm != b.comm) return a.comm < b.comm;
        break;
      case StatsSort::kTime:
      case StatsSort::kP99:  // per process, time stands in for latency
        if (a.total_ns != b.total_ns) return a.total_ns > b.total_ns;
        break;
    }
    return std::tie(a.host, a.pid) < std::tie(b.host, b.pid);
  });
}

template <typename Map>
std::vector<std::pair<std::string, uint64_t>> most_first(const Map& counts) {
  std::vector<std::pair<std::string, uint64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::string syscall_name(const StatsSources& sources, uint32_t nr) {
  auto it = sources.names.find(nr);
  return it != sources.names.end() ? it->second : "syscall_" + std::to_string(nr);
}

void add_losses(StatsReport& report, const StatsAccumulator& totals, const StatsSources& sources) {
  std::map<uint32_t, CpuRow> cpus;
  for (const auto& [cpu, g] : totals.gaps()) cpus[cpu] = CpuRow{cpu, g.lost, g.gaps};
  if (!sources.trailer) {
    for (const auto& [cpu, row] : cpus) report.cpus.push_back(row);
    return;
  }
  // The trailer's count is exact; an older etrace-capture left unmarked the
  // losses no later record revealed, so gap records stand in only without it.
  const format::CaptureStats& t = *sources.trailer;
  report.trailer = true;
  report.records_written = t.total_written();
  report.records_lost = t.total_lost();
  for (auto& [cpu, row] : cpus) row.lost = 0;
  for (const auto& [cpu, loss] : t.cpus)
    if (loss.lost) {
      cpus[cpu].cpu = cpu;
      cpus[cpu].lost = loss.lost;
    }
  for (const auto& [cpu, row] : cpus) report.cpus.push_back(row);
  std::map<std::string, uint64_t> by_syscall;
  for (const auto& [nr, counts] : t.syscalls)
    if (counts.lost) by_syscall[syscall_name(sources, nr)] += counts.lost;
  report.lost_by_syscall = most_first(by_syscall);
  report.lost_process_records = t.process_records.lost;
  report.lost_unattributed = t.hook_misses;
}

void add_duration(StatsReport& report, const StatsAccumulator& totals, const StatsSources& sources) {
  if (sources.trailer && sources.start_ns && sources.trailer->end_ns >= *sources.start_ns) {
    report.duration_ns = sources.trailer->end_ns - *sources.start_ns;
    report.duration_from_capture = true;
  } else if (totals.first_wall_ns()) {
    report.duration_ns = static_cast<uint64_t>(*totals.last_wall_ns() - *totals.first_wall_ns());
  }
  if (!report.duration_ns || *report.duration_ns == 0) return;
  const auto per_second = [&](uint64_t n) {
    return static_cast<uint64_t>(std::llround(static_cast<double>(n) * 1e9 / static_cast<double>(*report.duration_ns)));
  };
  if (report.trailer) report.records_per_s = per_second(report.records_written);
  report.calls_per_s = per_second(report.total.calls);
}

}  // namespace

std::optional<StatsSort> parse_stats_sort(std::string_view name) {
  for (const auto& [sort, text] : kSortNames)
    if (name == text) return sort;
  return std::nullopt;
}

const char* stats_sort_name(StatsSort sort) {
  for (const auto& [s, text] : kSortNames)
    if (s == sort) return text;
  return "time";
}

StatsReport build_stats_report(const StatsAccumulator& totals, const StatsSources& sources, StatsSort sort,
                               const std::vector<std::string>& histograms) {
  StatsReport report;
  report.sort = sort;
  LatencyHistogram all;
  uint64_t calls = 0, errors = 0;
  for (const auto& [name, t] : totals.syscalls()) {
    report.syscalls.push_back(row_of(name, t.calls, t.errors, t.latency));
    all.merge(t.latency);
    calls += t.calls;
    errors += t.errors;
  }
  report.total = row_of("total", calls, errors, all);
  report.total.time_hundredths = 10000;
  for (auto& row : report.syscalls) row.time_hundredths = hundredths_of_percent(row.total_ns, all.total_ns());
  sort_rows(report.syscalls, sort);

  for (const auto& [key, p] : totals.processes())
    report.processes.push_back(ProcessRow{key.first, key.second, p.comm, p.calls, p.errors, p.ns, p.signals});
  sort_processes(report.processes, sort);

  for (const auto& [name, e] : totals.errors())
    report.errors.push_back(ErrnoRow{name, e.message, e.count, most_first(e.syscalls)});
  std::stable_sort(report.errors.begin(), report.errors.end(),
                   [](const ErrnoRow& a, const ErrnoRow& b) { return a.count > b.count; });

  for (const auto& [name, s] : totals.signals()) report.signals.push_back(SignalRow{name, s});
  std::stable_sort(report.signals.begin(), report.signals.end(),
                   [](const SignalRow& a, const SignalRow& b) { return a.totals.count() > b.totals.count(); });

  add_losses(report, totals, sources);
  add_duration(report, totals, sources);

  for (const auto& name : histograms) {
    auto it = totals.syscalls().find(name);
    report.histograms.emplace_back(name, it == totals.syscalls().end() ? std::vector<uint64_t>{}
                                                                       : it->second.latency.log2_counts());
  }
  return report;
}

}  // namespace etrace::decode
