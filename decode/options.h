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
  std::string input;          // "-" for standard input
  std::string output_path;    // -o; "" or "-" for standard output
  std::string btf_path;       // --btf
  std::string perfetto_path;  // --perfetto: the timeline goes here, nothing else is written
  bool json = false;
  ContextPlacement contexts = ContextPlacement::kLines;  // --ctx, --no-ctx
  bool stats = false;
  StatsSort sort = StatsSort::kTime;
  std::vector<std::string> histograms;
  bool files = false;  // --files
  bool conns = false;  // --conns
  std::string diff_base;  // --diff A: the run `input` is compared with
  bool durations = false;  // -T
  int timestamps = 0;      // -t count
  HexStyle hex = HexStyle::kNone;
  DecodeOptions decode;
  // Filters, as typed: the syscall and container terms are resolved once
  // the capture's syscall table is known.
  std::vector<uint32_t> pids;
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
