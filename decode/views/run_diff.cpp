#include "decode/views/run_diff.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>

namespace etrace::decode {
namespace {

std::vector<std::string> only_in(const std::set<std::string>& these, const std::set<std::string>& those) {
  std::vector<std::string> out;
  std::set_difference(these.begin(), these.end(), those.begin(), those.end(), std::back_inserter(out));
  return out;
}

ProcessDiff compare(const ProcessProfile* a, const ProcessProfile* b, size_t top) {
  static const ProcessProfile kNone;
  ProcessDiff d;
  d.program = a ? a->program : b->program;
  if (a) d.pid_a = a->pid;
  if (b) d.pid_b = b->pid;
  const ProcessProfile& x = a ? *a : kNone;
  const ProcessProfile& y = b ? *b : kNone;
  d.paths_only_a = only_in(x.paths, y.paths);
  d.paths_only_b = only_in(y.paths, x.paths);
  for (const auto& [error, count] : y.errors)
    if (!x.errors.contains(error)) d.new_errors.emplace_back(error, count);
  for (const auto& [syscall, la] : x.latency) {
    auto it = y.latency.find(syscall);
    if (it == y.latency.end()) continue;
    LatencyChange change{syscall, la, it->second};
    if (change.change_ns() != 0) d.latency.push_back(change);  // nothing to say of an unchanged average
  }
  std::stable_sort(d.latency.begin(), d.latency.end(), [](const LatencyChange& l, const LatencyChange& r) {
    return std::llabs(l.change_ns()) > std::llabs(r.change_ns());
  });
  if (d.latency.size() > top) d.latency.resize(top);
  return d;
}

// "12.345 us"
std::string micros(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s%lld.%03lld us", ns < 0 ? "-" : "", std::llabs(ns) / 1000, std::llabs(ns) % 1000);
  return buf;
}

std::string pid_text(const std::optional<uint32_t>& pid) { return pid ? std::to_string(*pid) : "-"; }

// "openat ENOENT /etc/x"
std::string error_text(const CallError& e) { return e.syscall + " " + e.error + (e.path ? " " + *e.path : ""); }

}  // namespace

std::vector<ProcessDiff> diff_runs(const std::vector<ProcessProfile>& a, const std::vector<ProcessProfile>& b,
                                   size_t top) {
  // B's processes by program, in the order they appeared; each taken once.
  std::map<std::string, std::vector<const ProcessProfile*>> unpaired;
  for (const auto& p : b) unpaired[p.program].push_back(&p);
  std::map<std::string, size_t> taken;
  std::vector<ProcessDiff> out;
  for (const auto& p : a) {
    const auto& candidates = unpaired[p.program];
    size_t& next = taken[p.program];
    out.push_back(compare(&p, next < candidates.size() ? candidates[next] : nullptr, top));
    ++next;
  }
  for (const auto& p : b) {
    const auto& candidates = unpaired[p.program];
    const size_t first_left = taken[p.program];
    const auto at = std::find(candidates.begin(), candidates.end(), &p) - candidates.begin();
    if (static_cast<size_t>(at) >= first_left) out.push_back(compare(nullptr, &p, top));
  }
  return out;
}

void write_run_diff(std::ostream& out, const std::vector<ProcessDiff>& diffs, const std::string& a_name,
                    const std::string& b_name) {
  out << "--- A " << a_name << "\n+++ B " << b_name << "\n";
  for (const auto& d : diffs) {
    out << "\n" << d.program << " (pid " << pid_text(d.pid_a) << " -> " << pid_text(d.pid_b) << ")";
    if (d.only_in()) out << ": only in " << *d.only_in();
    out << "\n";
    if (d.only_in()) continue;
    for (const auto& path : d.paths_only_a) out << "  - path " << path << "\n";
    for (const auto& path : d.paths_only_b) out << "  + path " << path << "\n";
    for (const auto& [error, count] : d.new_errors) out << "  + error " << error_text(error) << " (" << count << "x)\n";
    for (const auto& l : d.latency) {
      const int64_t change = l.change_ns();
      out << "  ~ " << l.syscall << " avg " << micros(l.a.average_ns()) << " -> " << micros(l.b.average_ns()) << " ("
          << (change > 0 ? "+" : "") << micros(change) << ", " << l.a.calls << " -> " << l.b.calls << " calls)\n";
    }
  }
}

}  // namespace etrace::decode
