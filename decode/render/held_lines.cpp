#include "decode/render/held_lines.h"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace etrace::decode {

void HeldLines::write(std::string line) {
  if (queue_.empty()) {
    out_ << line;
    return;
  }
  queued_bytes_ += line.size();
  queue_.push_back({std::move(line), std::nullopt, 0});
  // Over a bound: the first held line is written as it is, and so on.
  while (!waiting_.empty() && (queue_.size() > bounds_.lines || queued_bytes_ > bounds_.bytes)) stop_waiting(0);
}

void HeldLines::hold(CallKey key, std::string head, std::string tail, std::optional<int64_t> since_ns) {
  waiting_.push_back({key, popped_ + queue_.size(), since_ns});
  queued_bytes_ += head.size() + tail.size();
  const size_t head_size = head.size();
  queue_.push_back({std::move(head) + std::move(tail), key, head_size});
}

bool HeldLines::fill(CallKey key, std::string tail) {
  const auto w = std::find_if(waiting_.begin(), waiting_.end(), [&](const Waiting& x) { return x.key == key; });
  if (w == waiting_.end()) return false;
  Line& line = queue_[w->index - popped_];
  queued_bytes_ -= line.text.size() - line.head;
  line.text.replace(line.head, std::string::npos, tail);
  queued_bytes_ += tail.size();
  stop_waiting(static_cast<size_t>(w - waiting_.begin()));
  return true;
}

void HeldLines::release(CallKey key) {
  const auto w = std::find_if(waiting_.begin(), waiting_.end(), [&](const Waiting& x) { return x.key == key; });
  if (w != waiting_.end()) stop_waiting(static_cast<size_t>(w - waiting_.begin()));
}

void HeldLines::at(std::optional<int64_t> now_ns) {
  if (!now_ns) return;
  for (size_t i = 0; i < waiting_.size();) {
    const auto& since = waiting_[i].since_ns;
    if (since && *now_ns - *since > bounds_.wait_ns)
      stop_waiting(i);
    else
      ++i;
  }
}

void HeldLines::release_all() {
  while (!waiting_.empty()) stop_waiting(waiting_.size() - 1);
}

void HeldLines::stop_waiting(size_t i) {
  queue_[waiting_[i].index - popped_].held.reset();
  waiting_.erase(waiting_.begin() + static_cast<std::ptrdiff_t>(i));
  drain();
}

void HeldLines::drain() {
  while (!queue_.empty() && !queue_.front().held) {
    out_ << queue_.front().text;
    queued_bytes_ -= queue_.front().text.size();
    queue_.pop_front();
    ++popped_;
  }
}

}  // namespace etrace::decode
