#include "decode/options.h"

#include <iostream>
#include <utility>

#include <CLI/CLI.hpp>

#include "common/command_line.h"
#include "format/file_layout.h"

namespace etrace::decode {
namespace {

constexpr const char* kProg = "etrace-decode";

// --json, --btf, -o: what is read besides the capture, where output goes.
CLI::Option* add_input_output_options(CLI::App& app, Options& o, std::string& contexts, bool& no_contexts,
                                      int& follow) {
  app.option_defaults()->group("Input and output");
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
  app.add_flag("-f", follow,
               "as strace's: every thread the capture holds is shown anyway; -ff with -o PREFIX writes each "
               "thread's events to a file of its own, PREFIX.TID, without [pid N] (with --json, JSON Lines)");
  app.add_flag("--info", o.info,
               "what the file holds instead of its calls: host, kernel, the capture's command line, start, end, "
               "records by type, losses, frames and bytes, whether it ended cleanly (with --json, one object)");
  return json;
}

// strace's own options: how each call is shown.
void add_strace_options(CLI::App& app, Options& o, int& hex) {
  app.option_defaults()->group("How calls are shown (as strace)");
  app.add_flag("-T", o.durations, "show the time spent in each call");
  app.add_flag("-r", o.relative, "prefix lines with the time since the previous line's");
  app.add_flag("-Y", o.show_comm, "name the process of every line: [pid 1234<comm>]");
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
  app.option_defaults()->group("Reports instead of calls");
  auto* stats = app.add_flag("--stats", o.stats,
                             "summary per syscall (calls, errors, time, latency percentiles), process and errno, "
                             "and what the capture lost (like strace -c); with --json as one JSON object");
  app.add_option("--sort", sort_name, "order of the --stats table: time (default), calls, errors, name, p99")
      ->option_text("KEY")
      ->needs(stats);
  app.add_option("--top", o.top, "the N slowest calls, slowest first, as text (with -T) or JSON Lines")
      ->option_text("N")
      ->check(CLI::Range(1, 1000000))
      ->excludes(stats);
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
                 "paths only one run named, errors only B met, syscalls whose average latency changed most; with "
                 "--json as JSON Lines")
      ->option_text("A");
}

void add_filter_options(CLI::App& app, Options& o) {
  app.option_defaults()->group("Which events");
  app.add_option("-p,--pid", o.pids, "only processes with this PID (tgid); repeatable, comma-separated lists too")
      ->option_text("PID")
      ->delimiter(',');
  app.add_option("--tid", o.tids, "only this thread; repeatable, comma-separated lists too")
      ->option_text("TID")
      ->delimiter(',');
  app.add_option("--tree", o.trees, "only this process and the processes it starts; repeatable")
      ->option_text("PID");
  app.add_option("--comm", o.comms, "only threads with this command name; repeatable")->option_text("NAME");
  app.add_option("--syscall", o.syscalls,
                 "only these syscalls: NAME, %CLASS (%file, %net...), !NAME or !%CLASS to exclude; comma-separated "
                 "lists too; repeatable")
      ->option_text("NAME");
  app.add_option("-e", o.qualifiers,
                 "as strace: -e trace=SET (as --syscall), -e status=SET (successful, failed, unfinished); "
                 "repeatable")
      ->option_text("EXPR");
  app.add_flag_callback("-z", [&o] { o.statuses.push_back("successful"); }, "only calls that succeeded (-e status=successful)");
  app.add_flag_callback("-Z", [&o] { o.statuses.push_back("failed"); }, "only calls that failed (-e status=failed)");
  app.add_option("--errno", o.errnos, "only calls that failed with this error (ENOENT, or its number); lists too")
      ->option_text("ERR")
      ->delimiter(',');
  app.add_option("-P,--path", o.paths,
                 "only calls on this path: naming it, or on a descriptor that refers to it (as strace's -P); "
                 "repeatable")
      ->option_text("PATH");
  app.add_option("--since", o.since,
                 "only events from TIME on: a wall-clock time (14:03:07.5, 2026-12-07T14:03:07Z) or an offset from "
                 "the capture's start (+2.5s, 500ms)")
      ->option_text("TIME");
  app.add_option("--until", o.until, "only events up to TIME (as --since)")->option_text("TIME");
  app.add_option("--uid", o.uids, "only calls made with this real or effective uid; repeatable")->option_text("UID");
  app.add_option("--cgroup", o.cgroups,
                 "only tasks in this cgroup v2 or below it (a path from its root, or under /sys/fs/cgroup); repeatable")
      ->option_text("PATH");
  app.add_option("--container", o.containers,
                 "only tasks of this container (its id or a prefix of 12 or more hex digits); repeatable")
      ->option_text("ID");
}

// Why -ff cannot be, or "": it writes calls, a file per thread, so it needs
// a PREFIX and no report.
std::string misused_with_per_task_files(const Options& o) {
  if (o.output_path.empty() || o.output_path == "-")
    return "-ff writes each thread's events to a file of its own, PREFIX.TID: give -o PREFIX";
  if (o.stats || !o.histograms.empty() || !o.perfetto_path.empty() || o.files || o.conns || !o.diff_base.empty() ||
      o.info)
    return "-ff writes calls, a file per thread: it cannot be combined with --stats, --histogram, --perfetto, "
           "--files, --conns, --diff or --info";
  return "";
}

CommandLine refuse(const std::string& sentence) {
  std::cerr << kProg << ": " << sentence << "\n";
  return {std::nullopt, 2};
}

}  // namespace

CommandLine parse_options(int argc, char** argv) {
  CLI::App app{"Decode an etrace capture into strace-like text, JSON Lines, a summary or a timeline.", kProg};
  app.footer(
      "Examples:\n"
      "  etrace-decode cap.raw -T -tt -y               calls with durations, times of day and paths\n"
      "  etrace-decode cap.raw --stats                 a strace -c table with latency percentiles\n"
      "  etrace-decode cap.raw -Z -Y --since +5s       failed calls from the fifth second, with process names\n"
      "  etrace-decode cap.raw --json | jq ...         JSON Lines (decode/JSON.md)\n"
      "  etrace-decode cap.raw -ff -o out              each thread's calls in out.TID, as strace -ff\n"
      "  etrace-decode cap.raw --info                  what the file holds\n"
      "See etrace-decode(1).");
  Options o;
  std::string sort_name = "time";
  int hex = 0;
  std::string contexts;
  bool no_contexts = false;
  int follow = 0;
  app.add_option("FILE", o.inputs,
                 "capture file, or - for standard input; several files (or the base name FILE of FILE.0, FILE.1, "
                 "...) of one rotated capture are read as one; captures of several hosts are merged by time")
      ->required();
  // In the order --help lists them.
  auto* json = add_input_output_options(app, o, contexts, no_contexts, follow);
  add_filter_options(app, o);
  add_strace_options(app, o, hex);
  add_report_options(app, o, sort_name, json);
  app.set_version_flag("--version", version_line(kProg, format::kMajorVersion, format::kMinorVersion));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return {std::nullopt, say_parse_error(app, e)};
  }
  if (follow > 1) {
    if (auto misused = misused_with_per_task_files(o); !misused.empty()) return refuse(misused);
    o.per_task_prefix = std::exchange(o.output_path, "");
  }
  if (!o.diff_base.empty() && (o.stats || o.files || o.conns || !o.histograms.empty() || !o.perfetto_path.empty()))
    return refuse("--diff is a report of its own: it cannot be combined with --stats, --histogram, --perfetto, --files or --conns");
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
  // Reports of their own show no events: nothing for these to pick or shape.
  const bool report = !o.diff_base.empty() || o.stats || o.files || o.conns || !o.perfetto_path.empty();
  if (o.top > 0 && report)
    return refuse("--top picks the calls shown as events: it cannot be combined with --diff, --stats, --files, "
                  "--conns or --perfetto");
  if ((!contexts.empty() || no_contexts) && report)
    return refuse("--ctx and --no-ctx place the contexts of events, which --diff, --stats, --files, --conns and "
                  "--perfetto do not show");
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
