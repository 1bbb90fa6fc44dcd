// The conformance report: a table of match rates per program, the floors
// the test holds them to, and the first example of each mismatching call.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/conformance/line_alignment.h"

namespace etrace::conformance {

struct ProgramResult {
  std::string program;
  Comparison comparison;
};

// Matched lines as a percentage of strace's lines (100 when strace has none).
double match_percent(const Comparison& c);
// The percentage rounded down to a multiple of 5: the floor to hold it to.
int suggested_floor(const Comparison& c);

// floors.txt: "name percent" per line; '#' starts a comment. Lines that
// cannot be read are named in `error`.
std::map<std::string, int> parse_floors(const std::string& text, std::string& error);

// The whole report: table, suggested floors.txt, then per program each
// mismatching call with its count and first example.
std::string format_report(const std::vector<ProgramResult>& results, const std::map<std::string, int>& floors);

}  // namespace etrace::conformance
