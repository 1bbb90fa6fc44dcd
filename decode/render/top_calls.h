// --top N: the N slowest calls of the capture, slowest first, each shown
// whole by another renderer (text with -T, or JSON Lines) once the input
// has ended. Calls without a duration (unfinished, no return) are not
// ranked.
#pragma once

#include <cstddef>
#include <memory>
#include <queue>
#include <vector>

#include "decode/render/output.h"

namespace etrace::decode {

class TopCalls : public Output {
 public:
  TopCalls(size_t n, std::unique_ptr<Output> shown_by);

  void call(const DecodedCall& call) override;
  void process(const DecodedProcessEvent&) override {}
  void loss(const DecodedLoss&) override {}
  void signal(const DecodedSignal&) override {}
  void finish() override;

 private:
  struct Slower {
    bool operator()(const DecodedCall& a, const DecodedCall& b) const { return *a.duration_ns > *b.duration_ns; }
  };
  size_t n_;
  std::unique_ptr<Output> shown_by_;
  // The fastest of those kept on top, to be replaced by a slower one.
  std::priority_queue<DecodedCall, std::vector<DecodedCall>, Slower> kept_;
};

}  // namespace etrace::decode
