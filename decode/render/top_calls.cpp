#include "decode/render/top_calls.h"

#include <algorithm>

namespace etrace::decode {

TopCalls::TopCalls(size_t n, std::unique_ptr<Output> shown_by) : n_(n), shown_by_(std::move(shown_by)) {}

void TopCalls::call(const DecodedCall& call) {
  if (call.phase != CallPhase::kCompleted || !call.duration_ns) return;
  if (kept_.size() < n_) {
    kept_.push(call);
  } else if (*call.duration_ns > *kept_.top().duration_ns) {
    kept_.pop();
    kept_.push(call);
  }
}

void TopCalls::finish() {
  std::vector<DecodedCall> slowest;
  for (; !kept_.empty(); kept_.pop()) slowest.push_back(kept_.top());
  std::reverse(slowest.begin(), slowest.end());
  for (const auto& call : slowest) {
    // Started and ended together: shown as one line, whatever came between.
    DecodedCall started = call;
    started.phase = CallPhase::kEntered;
    shown_by_->call(started);
    shown_by_->call(call);
  }
  shown_by_->finish();
}

}  // namespace etrace::decode
