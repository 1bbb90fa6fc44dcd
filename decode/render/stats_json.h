// --stats --json: the same report as the text, for machines, as one JSON
// object on one line. The schema is in decode/JSON.md.
#pragma once

#include <ostream>

#include "decode/render/stats_report.h"

namespace etrace::decode {

void write_stats_json(std::ostream& out, const StatsReport& report);

}  // namespace etrace::decode
