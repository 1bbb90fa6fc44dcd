// strace -c style summary: per syscall, time spent, calls and errors,
// sorted by time; then what the capture itself lost, from its trailer.
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
  void finish() override;

 private:
  struct Row {
    uint64_t ns = 0;
    uint64_t calls = 0;
    uint64_t errors = 0;
  };
  std::ostream& out_;
  std::ostream& warnings_;
  std::map<std::string, Row> rows_;
  std::optional<format::CaptureStats> trailer_;
};

}  // namespace etrace::decode
