#include "capture/closing_table.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace etrace::capture {

namespace {

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
  for (const auto& [name, c] : rows) row(out, name, c.written, c.lost);
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
