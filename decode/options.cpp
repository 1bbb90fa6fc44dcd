#include "decode/options.h"

#include <iostream>

#include <CLI/CLI.hpp>

namespace etrace::decode {
namespace {

constexpr const char* kProg = "etrace-decode";

// --json, --btf, -o: what is read besides the capture, where output goes.
CLI::Option* add_input_output_options(CLI::App& app, Options& o, std::string& contexts, bool& no_contexts) {
  auto* json = app.add_flag(
      "--json", o.json, "JSON Lines, one object per call and process event; with --stats, one object (see decode/JSON.md)");
  app.add_option("--ctx", contexts,
                 "with --json, where each thread's process context goes: lines (default: a \"context\" line when the "
                 "thread first appears and when its context changes, which its events name by ctx_id), inline (in "
                 "every event), none")
      ->option_text("WHERE");
  app.add_flag("--no-ctx", no_contexts, "with --json, no process contexts (--ctx none)");
  app.add_option("--btf", o.btf_path, "BTF of the kernel the capture was made on, for a capture made with --no-btf")
      ->option_text("PATH");
  app.add_option("-o,--output", o.output_path, "write to OUT instead of standard output")->option_text("OUT");
  return json;
}

// strace's own options: how each call is shown.
void add_strace_options(CLI::App& app, Options& o, int& hex) {
  app.add_flag("-T", o.durations, "show the time spent in each call");
  app.add_flag("-t", o.timestamps, "prefix lines with the time of day; -tt adds microseconds, -ttt epoch seconds");
  app.add_option("-s", o.decode.string_limit,
                 "show at most N characters of strings and N elements of arrays (default 32); paths in full")
      ->option_text("N");
  app.add_flag("-x", hex, "non-ASCII strings in hexadecimal; -xx all strings");
  app.add_flag("-y", o.decode.descriptors,
               "descriptors with the path they refer to, as the capture saw it; -yy sockets with protocol and "
               "addresses");
  app.add_flag("-v", o.decode.verbose,
               "structures and environments in full, not abbreviated; a line for each thread's process context when "
               "it appears or changes");
}

// --stats, --histogram, --perfetto: what is written instead of calls.
void add_report_options(CLI::App& app, Options& o, std::string& sort_name, CLI::Option* json) {
  auto* stats = app.add_flag("--stats", o.stats,
                             "summary per syscall (calls, errors, time, latency percentiles), process and errno, "
                             "and what the capture lost (like strace -c); with --json as one JSON object");
  app.add_option("--sort", sort_name, "order of the --stats table: time (default), calls, errors, name, p99")
      ->option_text("KEY")
      ->needs(stats);
  app.add_option("--histogram", o.histograms,
                 "log2 histogram of this syscall's latency, as bpftrace's hist(); repeatable")
      ->option_text("SYSCALL");
  app.add_option("--perfetto", o.perfetto_path,
                 "write a timeline to OUT.json in Chrome trace-event JSON, for ui.perfetto.dev")
      ->option_text("OUT.json")
      ->excludes(json)
      ->excludes(stats);
  app.add_flag("--files", o.files,
               "one row per file the capture saw opened or used (path, pipe, anonymous inode): the process that "
               "opened it, when it was opened and closed, calls, errors, bytes read and written; with --json as JSON "
               "Lines");
  app.add_flag("--conns", o.conns,
               "one row per socket: its protocol and addresses, the process that opened it, when, calls, errors, "
               "bytes received and sent; with --json as JSON Lines");
  app.add_option("--diff", o.diff_base,
                 "--diff A B: compare capture A with capture B (FILE), runs of the same program, process by process: "
                 "paths only one run named, errors only B met, syscalls whose average latency changed most")
      ->option_text("A");
}

void add_filter_options(CLI::App& app, Options& o) {
  app.add_option("--pid", o.pids, "only processes with this PID (tgid); repeatable")->option_text("PID");
  app.add_option("--comm", o.comms, "only threads with this command name; repeatable")->option_text("NAME");
  app.add_option("--syscall", o.syscalls,
                 "only these syscalls: NAME, %CLASS (%file, %net...), !NAME or !%CLASS to exclude; comma-separated "
                 "lists too; repeatable")
      ->option_text("NAME");
  app.add_option("--uid", o.uids, "only calls made with this real or effective uid; repeatable")->option_text("UID");
  app.add_option("--cgroup", o.cgroups,
                 "only tasks in this cgroup v2 or below it (a path from its root, or under /sys/fs/cgroup); repeatable")
      ->option_text("PATH");
  app.add_option("--container", o.containers,
                 "only tasks of this container (its id or a prefix of 12 or more hex digits); repeatable")
      ->option_text("ID");
}

CommandLine refuse(const std::string& sentence) {
  std::cerr << kProg << ": " << sentence << "\n";
  return {std::nullopt, 2};
}

}  // namespace

CommandLine parse_options(int argc, char** argv) {
  CLI::App app{"Decode an etrace capture into strace-like text, JSON Lines, a summary or a timeline.", kProg};
  Options o;
  std::string sort_name = "time";
  int hex = 0;
  std::string contexts;
  bool no_contexts = false;
  app.add_option("FILE", o.input, "capture file, or - for standard input")->required();
  // In the order --help lists them.
  auto* json = add_input_output_options(app, o, contexts, no_contexts);
  add_filter_options(app, o);
  add_strace_options(app, o, hex);
  add_report_options(app, o, sort_name, json);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return {std::nullopt, app.exit(e)};
  }
  if (!o.diff_base.empty() && (o.json || o.stats || o.files || o.conns || !o.histograms.empty() || !o.perfetto_path.empty()))
    return refuse("--diff is a report of its own: it cannot be combined with --json, --stats, --histogram, --perfetto, --files or --conns");
  o.hex = hex >= 2 ? HexStyle::kAll : hex == 1 ? HexStyle::kNonAscii : HexStyle::kNone;
  const auto sort = parse_stats_sort(sort_name);
  if (!sort) return refuse("--sort: no order named " + sort_name + " (time, calls, errors, name or p99)");
  o.sort = *sort;
  if (o.json && !o.stats && !o.histograms.empty())
    return refuse("--histogram draws for the terminal; with --stats --json its buckets go into the JSON");
  if (!o.perfetto_path.empty() && (!o.histograms.empty() || !o.output_path.empty()))
    return refuse("--perfetto writes only its timeline: it cannot be combined with --histogram or -o");
  if ((o.files || o.conns) && (o.stats || !o.histograms.empty() || !o.perfetto_path.empty()))
    return refuse("--files and --conns are reports of their own: they cannot be combined with --stats, --histogram or --perfetto");
  if ((!contexts.empty() || no_contexts) && !o.json) return refuse("--ctx and --no-ctx shape --json output; add --json");
  if (!contexts.empty() && no_contexts) return refuse("--no-ctx is --ctx none: give one of them");
  if (no_contexts) contexts = "none";
  if (contexts == "inline") o.contexts = ContextPlacement::kInline;
  else if (contexts == "none") o.contexts = ContextPlacement::kNone;
  else if (!contexts.empty() && contexts != "lines") return refuse("--ctx: no placement named " + contexts + " (lines, inline or none)");
  if (o.json) o.decode = unabbreviated(o.decode);
  return {std::move(o), 0};
}

}  // namespace etrace::decode
