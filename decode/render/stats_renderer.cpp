#include "decode/render/stats_renderer.h"

#include "decode/render/stats_json.h"
#include "decode/render/stats_text.h"

namespace etrace::decode {

void StatsRenderer::finish() {
  const StatsReport report = build_stats_report(totals_, sources_, options_.sort, options_.histograms);
  if (options_.json) write_stats_json(out_, report);
  else if (options_.table) write_stats_text(out_, report);
  else write_histograms_text(out_, report);
  if (options_.table && !sources_.trailer)
    warnings_ << "etrace-decode: warning: the capture has no statistics trailer (capture did not stop cleanly), "
                 "so records lost in the kernel are unknown\n";
  out_.flush();
}

}  // namespace etrace::decode
