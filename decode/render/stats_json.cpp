#include "decode/render/stats_json.h"

#include "decode/render/histogram_text.h"
#include "decode/render/json_writer.h"

namespace etrace::decode {
namespace {

// Counts and rates are numbers; nanoseconds, 64 bits wide, decimal strings
// (decode/JSON.md, Numbers).
void optional_value(JsonLine& j, std::optional<uint64_t> v) {
  if (v) j.value(*v);
  else j.null();
}

void optional_ns(JsonLine& j, std::optional<uint64_t> v) {
  if (v) j.digits(*v);
  else j.null();
}

// The members of a syscall row; the total's are the same but its name.
void row_members(JsonLine& j, const SyscallRow& r) {
  j.key("calls").value(r.calls);
  j.key("errors").value(r.errors);
  j.key("timed").value(r.timed);
  j.key("time_pct").decimal(r.time_hundredths, 2);
  j.key("total_ns").digits(r.total_ns);
  j.key("avg_ns");
  optional_ns(j, r.avg_ns);
  j.key("p50_ns");
  optional_ns(j, r.p50_ns);
  j.key("p99_ns");
  optional_ns(j, r.p99_ns);
  j.key("max_ns");
  optional_ns(j, r.max_ns);
}

void counts_object(JsonLine& j, const std::vector<std::pair<std::string, uint64_t>>& counts) {
  j.begin_object();
  for (const auto& [name, n] : counts) j.key(name).value(n);
  j.end_object();
}

void write_losses(JsonLine& j, const StatsReport& report) {
  j.key("lost").begin_object();
  j.key("known").value(report.trailer);
  j.key("records");
  optional_value(j, report.trailer ? std::optional(report.records_lost) : std::nullopt);
  j.key("syscalls");
  counts_object(j, report.lost_by_syscall);
  j.key("process_records").value(report.lost_process_records);
  j.key("unattributed").value(report.lost_unattributed);
  j.key("cpus").begin_array();
  for (const auto& c : report.cpus) {
    j.begin_object();
    j.key("cpu").value(c.cpu);
    j.key("lost").value(c.lost);
    j.key("gaps").value(c.gaps);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

void write_capture(JsonLine& j, const StatsReport& report) {
  j.key("capture").begin_object();
  j.key("records");
  optional_value(j, report.trailer ? std::optional(report.records_written) : std::nullopt);
  j.key("duration_ns");
  optional_ns(j, report.duration_ns);
  j.key("duration_from");
  if (report.duration_ns) j.value(report.duration_from_capture ? "capture" : "events");
  else j.null();
  j.key("records_per_s");
  optional_value(j, report.records_per_s);
  j.key("calls_per_s");
  optional_value(j, report.calls_per_s);
  j.end_object();
}

void write_histograms(JsonLine& j, const StatsReport& report) {
  if (report.histograms.empty()) return;
  j.key("histograms").begin_object();
  for (const auto& [name, counts] : report.histograms) {
    j.key(name).begin_array();
    for (size_t slot = 0; slot < counts.size(); ++slot) {
      if (!counts[slot]) continue;
      j.begin_object();
      j.key("low_ns").digits(log2_bucket_low(slot));
      j.key("end_ns").digits(log2_bucket_end(slot));
      j.key("count").value(counts[slot]);
      j.end_object();
    }
    j.end_array();
  }
  j.end_object();
}

}  // namespace

void write_stats_json(std::ostream& out, const StatsReport& report) {
  JsonLine j;
  j.key("sort").value(stats_sort_name(report.sort));
  j.key("syscalls").begin_array();
  for (const auto& r : report.syscalls) {
    j.begin_object();
    j.key("syscall").value(r.name);
    row_members(j, r);
    j.end_object();
  }
  j.end_array();
  j.key("total").begin_object();
  row_members(j, report.total);
  j.end_object();
  j.key("processes").begin_array();
  for (const auto& p : report.processes) {
    j.begin_object();
    if (!p.host.empty()) j.key("host").value(p.host);
    j.key("pid").value(p.pid);
    j.key("comm");
    if (p.comm.empty()) j.null();  // the capture never saw it
    else j.value(p.comm);
    j.key("calls").value(p.calls);
    j.key("errors").value(p.errors);
    j.key("total_ns").digits(p.total_ns);
    j.key("signals").value(p.signals);
    j.end_object();
  }
  j.end_array();
  j.key("errors").begin_array();
  for (const auto& e : report.errors) {
    j.begin_object();
    j.key("errno").value(e.name);
    j.key("message").value(e.message);
    j.key("count").value(e.count);
    j.key("syscalls");
    counts_object(j, e.syscalls);
    j.end_object();
  }
  j.end_array();
  j.key("signals").begin_array();
  for (const auto& s : report.signals) {
    j.begin_object();
    j.key("signal").value(s.name);
    j.key("count").value(s.totals.count());
    j.key("handled").value(s.totals.handled);
    j.key("default").value(s.totals.defaulted);
    j.key("ignored").value(s.totals.ignored);
    j.end_object();
  }
  j.end_array();
  write_losses(j, report);
  write_capture(j, report);
  write_histograms(j, report);
  out << j.finish();
}

}  // namespace etrace::decode
