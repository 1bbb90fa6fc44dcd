// --stats for people: a strace -c style table with latency columns, then
// per process, per errno, what the capture lost, and its duration.
#pragma once

#include <ostream>

#include "decode/render/stats_report.h"

namespace etrace::decode {

void write_stats_text(std::ostream& out, const StatsReport& report);
// The --histogram drawings alone (also the tail of write_stats_text).
void write_histograms_text(std::ostream& out, const StatsReport& report);

}  // namespace etrace::decode
