#include "decode/views/run_diff_json.h"

#include "decode/render/json_writer.h"

namespace etrace::decode {
namespace {

// A line about the pair `d`: its kind, then what names the pair.
JsonLine pair_line(const char* kind, const ProcessDiff& d) {
  JsonLine j;
  j.key("kind").value(kind);
  j.key("program").value(d.program);
  j.key("a_pid").value_or_null(d.pid_a);
  j.key("b_pid").value_or_null(d.pid_b);
  return j;
}

void write_pair(std::ostream& out, const ProcessDiff& d) {
  JsonLine j = pair_line("diff_process", d);
  j.key("only_in").value_or_null(d.only_in());
  out << j.finish();
}

void write_paths(std::ostream& out, const ProcessDiff& d, const std::vector<std::string>& paths, const char* run) {
  for (const auto& path : paths) {
    JsonLine j = pair_line("diff_path", d);
    j.key("only_in").value(run);
    j.key("path").value(path);
    out << j.finish();
  }
}

void write_error(std::ostream& out, const ProcessDiff& d, const CallError& e, uint64_t count) {
  JsonLine j = pair_line("diff_error", d);
  j.key("syscall").value(e.syscall);
  j.key("errno").value(e.error);
  j.key("path").value_or_null(e.path);
  j.key("count").value(count);
  out << j.finish();
}

// Nanoseconds are 64 bits wide: decimal strings (decode/JSON.md, Numbers).
void write_latency(std::ostream& out, const ProcessDiff& d, const LatencyChange& l) {
  JsonLine j = pair_line("diff_latency", d);
  j.key("syscall").value(l.syscall);
  j.key("a_avg_ns").digits(l.a.average_ns());
  j.key("b_avg_ns").digits(l.b.average_ns());
  j.key("change_ns").digits(l.change_ns());
  j.key("a_calls").value(l.a.calls);
  j.key("b_calls").value(l.b.calls);
  out << j.finish();
}

}  // namespace

void write_run_diff_json(std::ostream& out, const std::vector<ProcessDiff>& diffs, const std::string& a_name,
                         const std::string& b_name) {
  JsonLine runs;
  runs.key("kind").value("diff");
  runs.key("a_capture").value(a_name);
  runs.key("b_capture").value(b_name);
  out << runs.finish();
  for (const auto& d : diffs) {
    write_pair(out, d);
    if (d.only_in()) continue;  // as the text: what a process without a partner did is not a difference
    write_paths(out, d, d.paths_only_a, "A");
    write_paths(out, d, d.paths_only_b, "B");
    for (const auto& [error, count] : d.new_errors) write_error(out, d, error, count);
    for (const auto& l : d.latency) write_latency(out, d, l);
  }
}

}  // namespace etrace::decode
