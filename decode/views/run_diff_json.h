// etrace-decode --diff A B --json: the comparison of run_diff.h as JSON
// Lines (decode/JSON.md, decode/schema/views.schema.json). A line names
// the two captures; then each pair of processes has a line, followed by
// one per path only one of them named, per error new in B and per latency
// change. Every line of a pair repeats its program and pids, so that each
// kind of line loads as a table of its own, without a join.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "decode/views/run_diff.h"

namespace etrace::decode {

void write_run_diff_json(std::ostream& out, const std::vector<ProcessDiff>& diffs, const std::string& a_name,
                         const std::string& b_name);

}  // namespace etrace::decode
