// etrace-decode: renders a capture written by etrace-capture as strace-like
// text, JSON Lines, a summary table or a Perfetto timeline. Needs no root, no tracefs and no BTF:
// everything it needs is in the capture.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "decode/fd_output_buffer.h"
#include "decode/capture_btf.h"
#include "decode/capture_file.h"
#include "decode/json_renderer.h"
#include "decode/perfetto_renderer.h"
#include "decode/pipeline.h"
#include "decode/stats_renderer.h"
#include "decode/syscall_catalog.h"
#include "decode/text_renderer.h"
#include "format/container_id.h"
#include "format/syscall_selection.h"

using namespace etrace::decode;
namespace format = etrace::format;

namespace {

constexpr const char* kProg = "etrace-decode";

void warn(const std::string& sentence) { std::cerr << kProg << ": warning: " << sentence << "\n"; }
int fail(const std::string& sentence, int code = 1) {
  std::cerr << kProg << ": " << sentence << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // Every events frame inflates into a buffer of up to 4 MiB (more with
  // larger frames): keep freed ones in the heap rather than mapping, and
  // faulting in, fresh pages for each frame.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);

  CLI::App app{"Decode an etrace capture into strace-like text, JSON Lines, a summary or a timeline.", kProg};
  std::string input;
  std::string output_path, btf_path;
  bool json = false;
  bool stats = false;
  std::string sort_name = "time";
  std::vector<std::string> histograms;
  std::string perfetto_path;
  bool durations = false;
  int timestamps = 0;
  int hex = 0;
  DecodeOptions decode_options;
  std::vector<uint32_t> pids;
  std::vector<std::string> comms;
  std::vector<std::string> syscalls;
  std::vector<uint32_t> uids;
  std::vector<std::string> cgroups, containers;
  app.add_option("FILE", input, "capture file, or - for standard input")->required();
  auto* json_opt = app.add_flag(
      "--json", json, "JSON Lines, one object per call and process event; with --stats, one object (see decode/JSON.md)");
  app.add_option("--btf", btf_path, "BTF of the kernel the capture was made on, for a capture made with --no-btf")
      ->option_text("PATH");
  app.add_option("-o,--output", output_path, "write to OUT instead of standard output")->option_text("OUT");
  app.add_option("--pid", pids, "only processes with this PID (tgid); repeatable")->option_text("PID");
  app.add_option("--comm", comms, "only threads with this command name; repeatable")->option_text("NAME");
  app.add_option("--syscall", syscalls,
                 "only these syscalls: NAME, %CLASS (%file, %net...), !NAME or !%CLASS to exclude; comma-separated "
                 "lists too; repeatable")
      ->option_text("NAME");
  app.add_option("--uid", uids, "only calls made with this real or effective uid; repeatable")->option_text("UID");
  app.add_option("--cgroup", cgroups,
                 "only tasks in this cgroup v2 or below it (a path from its root, or under /sys/fs/cgroup); repeatable")
      ->option_text("PATH");
  app.add_option("--container", containers,
                 "only tasks of this container (its id or a prefix of 12 or more hex digits); repeatable")
      ->option_text("ID");
  app.add_flag("-T", durations, "show the time spent in each call");
  app.add_flag("-t", timestamps, "prefix lines with the time of day; -tt adds microseconds, -ttt epoch seconds");
  app.add_option("-s", decode_options.string_limit,
                 "show at most N characters of strings and N elements of arrays (default 32); paths in full")
      ->option_text("N");
  app.add_flag("-x", hex, "non-ASCII strings in hexadecimal; -xx all strings");
  app.add_flag("-y", decode_options.descriptors,
               "descriptors with the path they refer to, as the capture saw it; -yy sockets with protocol and "
               "addresses");
  app.add_flag("-v", decode_options.verbose,
               "structures and environments in full, not abbreviated; a line for each thread's process context when "
               "it appears or changes");
  auto* stats_opt = app.add_flag("--stats", stats,
                                 "summary per syscall (calls, errors, time, latency percentiles), process and errno, "
                                 "and what the capture lost (like strace -c); with --json as one JSON object");
  app.add_option("--sort", sort_name, "order of the --stats table: time (default), calls, errors, name, p99")
      ->option_text("KEY")
      ->needs(stats_opt);
  app.add_option("--histogram", histograms, "log2 histogram of this syscall's latency, as bpftrace's hist(); repeatable")
      ->option_text("SYSCALL");
  app.add_option("--perfetto", perfetto_path,
                 "write a timeline to OUT.json in Chrome trace-event JSON, for ui.perfetto.dev")
      ->option_text("OUT.json")
      ->excludes(json_opt)
      ->excludes(stats_opt);
  CLI11_PARSE(app, argc, argv);
  const auto sort = parse_stats_sort(sort_name);
  if (!sort) return fail("--sort: no order named " + sort_name + " (time, calls, errors, name or p99)", 2);
  if (json && !stats && !histograms.empty())
    return fail("--histogram draws for the terminal; with --stats --json its buckets go into the JSON", 2);
  if (!perfetto_path.empty() && (!histograms.empty() || !output_path.empty()))
    return fail("--perfetto writes only its timeline: it cannot be combined with --histogram or -o", 2);

  // Input.
  std::ifstream file;
  std::istream* in = &std::cin;
  const std::string input_name = input == "-" ? "standard input" : input;
  if (input != "-") {
    file.open(input, std::ios::binary);
    if (!file) return fail("cannot open " + input + ": " + std::strerror(errno));
    in = &file;
  }
  CaptureFile capture(*in);
  if (auto err = capture.open()) return fail(input_name + ": " + err->message);

  const format::SyscallTable table = capture.syscall_table().value_or(format::SyscallTable{});
  const format::TracepointFormats formats = capture.formats().value_or(format::TracepointFormats{});
  if (capture.metadata_complete()) {
    if (!capture.syscall_table()) warn("the capture has no syscall table: calls are shown by number");
    if (!capture.formats()) warn("the capture has no tracepoint formats: arguments are shown as raw registers");
  }
  format::CopyPlans plans = capture.copy_plans().value_or(format::CopyPlans{});
  auto btf = btf_for_capture(capture, btf_path, plans);
  if (!btf) return fail(input_name + ": " + btf.error().message);
  SyscallCatalog catalog(table, formats, std::move(plans), std::move(*btf));

  for (const auto& name : histograms) {
    const bool known = std::any_of(table.names.begin(), table.names.end(), [&](const auto& n) { return n.second == name; });
    if (!known) return fail("--histogram: the capture's syscall table has no syscall named " + name, 2);
  }

  EventFilter filter;
  filter.pids.insert(pids.begin(), pids.end());
  filter.comms.insert(comms.begin(), comms.end());
  filter.uids.insert(uids.begin(), uids.end());
  for (const auto& c : cgroups) filter.cgroups.push_back(cgroup_filter_path(c));
  for (const auto& id : containers) {
    auto prefix = format::container_id_prefix(id);
    if (!prefix) return fail("--container " + id + ": a container id is 12 to 64 hex digits", 2);
    filter.containers.push_back(*prefix);
  }
  if (!syscalls.empty()) {
    std::string error;
    auto nrs = format::select_syscalls(table, format::all_semantics(), syscalls, error);
    if (!nrs) return fail("--syscall: " + error, 2);
    for (uint32_t nr : *nrs)
      if (nr <= UINT16_MAX) filter.syscalls.insert(static_cast<uint16_t>(nr));  // records carry 16-bit numbers
  }

  // Output, in 1 MiB writes (the default buffers made one write per 10 KiB,
  // an eighth of the time of a JSON decode), except to a terminal.
  static char out_buffer[1 << 20];
  FdOutputBuffer stdout_buffer(STDOUT_FILENO);
  std::ostream stdout_stream(&stdout_buffer);
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  const std::string& out_path = perfetto_path.empty() ? output_path : perfetto_path;
  if (!out_path.empty() && out_path != "-") {
    out_file.rdbuf()->pubsetbuf(out_buffer, sizeof(out_buffer));
    out_file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!out_file) return fail("cannot write " + out_path + ": " + std::strerror(errno));
    out = &out_file;
  } else if (!isatty(STDOUT_FILENO)) {
    out = &stdout_stream;
  }
  const int64_t offset = capture.capture() ? capture.capture()->realtime_offset_ns : 0;
  const HexStyle hex_style = hex >= 2 ? HexStyle::kAll : hex == 1 ? HexStyle::kNonAscii : HexStyle::kNone;
  const StringOptions strings{decode_options.string_limit, hex_style};
  std::unique_ptr<Output> renderer;
  StatsRenderer* stats_renderer = nullptr;
  PerfettoRenderer* perfetto_renderer = nullptr;
  if (stats || !histograms.empty()) {
    auto s = std::make_unique<StatsRenderer>(*out, std::cerr, StatsOptions{stats, json, *sort, histograms});
    stats_renderer = s.get();
    renderer = std::move(s);
  } else if (!perfetto_path.empty()) {
    // Times count from the capture's start; since boot without a capture block.
    const int64_t origin = capture.capture() ? static_cast<int64_t>(capture.capture()->start_ns) + offset : 0;
    auto p = std::make_unique<PerfettoRenderer>(*out, origin, strings);
    perfetto_renderer = p.get();
    renderer = std::move(p);
  } else if (json) {
    renderer = std::make_unique<JsonRenderer>(*out);
  } else {
    renderer = std::make_unique<TextRenderer>(*out, TextOptions{timestamps, durations, strings, decode_options.verbose});
  }

  if (!capture.capture() && capture.metadata_complete())
    warn("the capture has no capture block: times are shown since boot, not wall-clock");
  Pipeline pipeline(catalog, offset, filter, *renderer, decode_options);
  LibraryCatalog libraries(capture.libraries().value_or(format::LibraryTable{}));
  for (const auto& problem : libraries.problems()) warn(problem);
  pipeline.set_libraries(std::move(libraries));
  capture.before_block_read([&] { renderer->flush(); });
  decode_all(capture, pipeline);
  if (stats_renderer) {
    std::optional<uint64_t> start;
    if (capture.capture()) start = capture.capture()->start_ns;
    stats_renderer->set_sources(StatsSources{capture.stats(), start, table.names});
  }
  if (perfetto_renderer && capture.stats())
    perfetto_renderer->set_end(static_cast<int64_t>(capture.stats()->end_ns) + offset);
  renderer->finish();

  int status = 0;
  out->flush();
  if (!*out) status = fail("cannot write " + (out_path.empty() ? std::string("standard output") : out_path));
  for (const auto& problem : catalog.problems()) warn(problem);
  if (pipeline.malformed_records())
    warn(std::to_string(pipeline.malformed_records()) + " malformed records were skipped (first: " +
         pipeline.first_malformed() + ")");
  if (capture.skipped_blocks())
    warn(std::to_string(capture.skipped_blocks()) + " blocks of types this etrace-decode does not know were skipped");
  if (!stats && !capture.stats() && capture.end() == CaptureFile::End::kClean)
    warn("the capture has no statistics trailer: etrace-capture did not finish (it was killed, or is still "
         "writing), so the records it lost are not counted");
  if (!stats && capture.stats() && capture.stats()->total_lost())
    warn("the kernel dropped " + std::to_string(capture.stats()->total_lost()) +
         " records during capture (ring buffer full): some calls may be missing or shown unpaired");
  switch (capture.end()) {
    case CaptureFile::End::kClean:
      break;
    case CaptureFile::End::kTruncated:
      warn(capture.message() + ": decoded everything before it (the capture did not finish, so the records it lost are not counted)");
      break;
    case CaptureFile::End::kCorrupt:
      status = fail(input_name + ": " + capture.message() + "; decoded everything before it");
      break;
  }
  return status;
}
