#include "capture/closing_table.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace etrace::capture {

namespace {

// The busiest rows are shown, and every row that lost records; the rest
// are added up in one row (etrace-decode --stats has them all).
constexpr size_t kBusiestRows = 10;

void row(std::ostream& out, const std::string& name, uint64_t written, uint64_t lost) {
  char line[128];
  std::snprintf(line, sizeof(line), "%-24s %12llu %10llu\n", name.c_str(), static_cast<unsigned long long>(written),
                static_cast<unsigned long long>(lost));
  out << line;
}

}  // namespace

void print_closing_table(std::ostream& out, const format::CaptureStats& stats, const format::SyscallTable& table,
                         const format::LibraryTable& libraries) {
  std::vector<std::pair<std::string, format::SyscallCounts>> rows;
  for (const auto& [nr, c] : stats.syscalls) {
    auto it = table.names.find(nr);
    rows.emplace_back(it != table.names.end() ? it->second : "syscall_" + std::to_string(nr), c);
  }
  // Library functions as "name()", apart from syscalls of the same name.
  for (const auto& [index, c] : stats.functions)
    rows.emplace_back((index < libraries.functions.size() ? libraries.functions[index].name
                                                          : "function_" + std::to_string(index)) + "()", c);
  // Busiest first, as the eye looks for the heavy hitters and the losses.
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second.written + a.second.lost != b.second.written + b.second.lost
               ? a.second.written + a.second.lost > b.second.written + b.second.lost
               : a.first < b.first;
  });
  out << "syscall                       records       lost\n";
  format::SyscallCounts rest;
  size_t rest_rows = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& [name, c] = rows[i];
    if (i < kBusiestRows || c.lost) {
      row(out, name, c.written, c.lost);
    } else {
      rest.written += c.written;
      ++rest_rows;
    }
  }
  if (rest_rows) row(out, "(" + std::to_string(rest_rows) + " more)", rest.written, 0);
  if (stats.process_records.written || stats.process_records.lost)
    row(out, "(process events)", stats.process_records.written, stats.process_records.lost);
  if (stats.hook_misses) row(out, "(skipped by the kernel)", 0, stats.hook_misses);
  out << "------------------------ ------------ ----------\n";
  row(out, "total", stats.total_written(), stats.total_lost());
  for (const auto& [cpu, l] : stats.cpus)
    out << "lost " << l.lost << " records on cpu " << cpu << " between " << l.first_ns << " and " << l.last_ns
        << " ns (monotonic)\n";
}

}  // namespace etrace::capture
