// strace -c style summary: per syscall, time spent, calls and errors,
// sorted by time; then what the capture itself lost, from its trailer, and
// per CPU the records lost and the gaps they made in the stream.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>

#include "decode/output.h"
#include "format/metadata.h"

namespace etrace::decode {

class StatsRenderer : public Output {
 public:
  StatsRenderer(std::ostream& out, std::ostream& warnings) : out_(out), warnings_(warnings) {}

  // The capture's trailer, when it has one; set before finish().
  void set_trailer(std::optional<format::CaptureStats> trailer) { trailer_ = std::move(trailer); }

  void call(const DecodedCall& call) override;
  void process(const DecodedProcessEvent&) override {}
  void loss(const DecodedLoss& loss) override;
  void finish() override;

 private:
  struct Row {
    uint64_t ns = 0;
    uint64_t calls = 0;
    uint64_t errors = 0;
  };
  struct CpuGaps {
    uint64_t gaps = 0;
    uint64_t lost = 0;  // as the gap records count them
  };
  void print_loss_by_cpu();

  std::ostream& out_;
  std::ostream& warnings_;
  std::map<std::string, Row> rows_;
  std::map<uint32_t, CpuGaps> gaps_;
  std::optional<format::CaptureStats> trailer_;
};

}  // namespace etrace::decode
