#include "tests/conformance/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace etrace::conformance {

namespace {

struct CallMismatches {
  std::string name;
  size_t count = 0;
  Mismatch first;
};

// Mismatches grouped by call name, most frequent first (ties by name).
std::vector<CallMismatches> by_call(const std::vector<Mismatch>& mismatches) {
  std::map<std::string, CallMismatches> groups;
  for (const auto& m : mismatches) {
    auto [it, fresh] = groups.try_emplace(m.name, CallMismatches{m.name, 0, m});
    ++it->second.count;
  }
  std::vector<CallMismatches> out;
  for (auto& [name, g] : groups) out.push_back(std::move(g));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  return out;
}

std::string printf_string(const char* format, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof(buf), format, args...);
  return buf;
}

std::string or_none(const std::string& line) { return line.empty() ? "(no such line)" : line; }

}  // namespace

double match_percent(const Comparison& c) {
  if (c.strace_lines == 0) return 100.0;
  return 100.0 * static_cast<double>(c.matched) / static_cast<double>(c.strace_lines);
}

int suggested_floor(const Comparison& c) {
  // Rounded down first to hide float noise in an exact multiple like 35.0.
  int percent = static_cast<int>(std::floor(match_percent(c) + 1e-9));
  return percent - percent % 5;
}

std::map<std::string, int> parse_floors(const std::string& text, std::string& error) {
  std::map<std::string, int> floors;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    std::string name, extra;
    int percent = 0;
    if (!(fields >> name)) continue;
    if (!(fields >> percent) || (fields >> extra) || percent < 0 || percent > 100) {
      if (error.empty()) error = "floors line " + std::to_string(number) + " is not \"name percent\": " + line;
      continue;
    }
    floors[name] = percent;
  }
  return floors;
}

std::string format_report(const std::vector<ProgramResult>& results, const std::map<std::string, int>& floors) {
  std::ostringstream out;
  out << "etrace conformance: syscall and signal lines of etrace-decode against strace -f, per program\n\n";
  out << printf_string("%-14s %8s %8s %8s %7s %6s\n", "program", "strace", "etrace", "matched", "rate", "floor");
  for (const auto& r : results) {
    const Comparison& c = r.comparison;
    auto floor = floors.find(r.program);
    std::string floor_text = floor == floors.end() ? "-" : std::to_string(floor->second) + "%";
    out << printf_string("%-14s %8zu %8zu %8zu %6.1f%% %6s", r.program.c_str(), c.strace_lines, c.etrace_lines,
                         c.matched, match_percent(c), floor_text.c_str())
        << "\n";
  }

  out << "\nsuggested tests/conformance/floors.txt (today's rates rounded down to 5%):\n";
  for (const auto& r : results) out << r.program << " " << suggested_floor(r.comparison) << "\n";

  for (const auto& r : results) {
    auto calls = by_call(r.comparison.mismatches);
    if (calls.empty()) continue;
    out << "\n== " << r.program << ": mismatches by call (count, first example) ==\n";
    for (const auto& g : calls) {
      out << g.name << " x" << g.count << "\n";
      out << "  strace: " << or_none(g.first.strace_line) << "\n";
      out << "  etrace: " << or_none(g.first.etrace_line) << "\n";
    }
  }
  return out.str();
}

}  // namespace etrace::conformance
