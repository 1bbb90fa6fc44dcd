// --stats and --histogram: adds up the decoded events (StatsAccumulator),
// and at the end prints the report as text or JSON, or only the histograms.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "decode/render/output.h"
#include "decode/render/stats_accumulator.h"
#include "decode/render/stats_report.h"

namespace etrace::decode {

struct StatsOptions {
  bool table = true;  // false: --histogram alone, only the drawings
  bool json = false;
  StatsSort sort = StatsSort::kTime;
  std::vector<std::string> histograms;  // syscall names
};

class StatsRenderer : public Output {
 public:
  StatsRenderer(std::ostream& out, std::ostream& warnings, StatsOptions options = {})
      : out_(out), warnings_(warnings), options_(std::move(options)) {}

  // What only the capture file knows; set before finish().
  void set_sources(StatsSources sources) { sources_ = std::move(sources); }

  void call(const DecodedCall& call) override { totals_.call(call); }
  void process(const DecodedProcessEvent& event) override { totals_.process(event); }
  void loss(const DecodedLoss& loss) override { totals_.loss(loss); }
  void signal(const DecodedSignal& signal) override { totals_.signal(signal); }
  void finish() override;

 private:
  std::ostream& out_;
  std::ostream& warnings_;
  StatsOptions options_;
  StatsAccumulator totals_;
  StatsSources sources_;
};

}  // namespace etrace::decode
