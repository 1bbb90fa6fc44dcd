// What the two programs' command lines share, so an option means the same in
// both: strace's -e qualifiers, durations with units, and usage errors that
// exit 2 with one sentence.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/result.h"

namespace etrace {

inline constexpr int kUsageError = 2;

// strace's -e EXPR: "trace=SET", "status=SET", or a bare SET meaning trace.
// Each SET is a comma-separated list, appended to the field it names.
struct Qualifiers {
  std::vector<std::string> trace;
  std::vector<std::string> status;
};
Result<void> parse_qualifier(const std::string& expr, Qualifiers& into);

// "5", "5s", "250ms", "2m", "1h", "1.5s": seconds, > 0.
Result<double> parse_duration(const std::string& text);

// A ParseError from CLI11 said for people: help and --version print and give
// 0; every other error is one sentence on stderr and kUsageError. An
// unexpected word gets `extras_hint` when one is given.
int say_parse_error(const CLI::App& app, const CLI::ParseError& e, const std::string& extras_hint = "");

// "etrace-capture 0.1.0, capture file format 1.3": --version of both programs.
std::string version_line(const std::string& program, int format_major, int format_minor);

}  // namespace etrace
