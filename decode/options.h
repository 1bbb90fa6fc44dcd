// etrace-decode's command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "decode/arguments/decode_options.h"
#include "decode/render/json_renderer.h"
#include "decode/render/stats_report.h"
#include "decode/values/string_quote.h"

namespace etrace::decode {

struct Options {
  // "-" for standard input; several: the files of one rotated capture, in order.
  std::vector<std::string> inputs;
  std::string output_path;    // -o; "" or "-" for standard output
  std::string per_task_prefix;  // -ff -o PREFIX: each thread's events to PREFIX.TID (output_path is then "")
  std::string btf_path;       // --btf
  std::string perfetto_path;  // --perfetto: the timeline goes here, nothing else is written
  bool json = false;
  bool info = false;          // --info: what the file holds, not its calls
  ContextPlacement contexts = ContextPlacement::kLines;  // --ctx, --no-ctx
  bool stats = false;
  StatsSort sort = StatsSort::kTime;
  std::vector<std::string> histograms;
  bool files = false;  // --files
  bool conns = false;  // --conns
  std::string diff_base;  // --diff A: the run (the FILE given) is compared with
  bool durations = false;  // -T
  int timestamps = 0;      // -t count
  HexStyle hex = HexStyle::kNone;
  DecodeOptions decode;
  // Filters, as typed: the syscall and container terms are resolved once
  // the capture's syscall table is known.
  std::vector<uint32_t> pids;
  std::vector<uint32_t> tids;       // --tid
  std::vector<uint32_t> trees;      // --tree: a process and its descendants
  std::vector<std::string> qualifiers;  // -e EXPR, as typed
  std::vector<std::string> statuses;    // -e status=, -z, -Z
  std::vector<std::string> errnos;      // --errno NAME or number
  std::string since, until;             // --since, --until, as typed
  std::vector<std::string> paths;       // -P
  size_t top = 0;                       // --top N: the N slowest calls
  bool show_comm = false;               // -Y
  bool relative = false;                // -r
  std::vector<std::string> comms;
  std::vector<std::string> syscalls;
  std::vector<uint32_t> uids;
  std::vector<std::string> cgroups;
  std::vector<std::string> containers;
};

// The command line, or the status to exit with when it asks for nothing to
// decode (--help) or is wrong; either way, what to say was printed.
struct CommandLine {
  std::optional<Options> options;
  int exit_code = 0;
};

CommandLine parse_options(int argc, char** argv);

}  // namespace etrace::decode
