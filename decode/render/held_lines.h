// Text lines written in order, where one may wait for a better ending.
//
// A call shown `<unfinished ...>` before its inputs were all read (a path in
// a page not yet faulted in, read again at the call's exit) is written
// best with what the completed call holds. Decoding is offline, so its line
// may wait for that: it is held, and every line after it with it, in order,
// until the call completes and gives the line its end. Bounds keep the wait
// short: a line held for more than `wait_ns` of event time, or while more
// than `lines` lines or `bytes` bytes are held, is written as it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "decode/values/decoded_event.h"

namespace etrace::decode {

// A call's events share its seq; seqs are unique within a host.
struct CallKey {
  uint64_t seq = 0;
  HostRef host = nullptr;
  bool operator==(const CallKey&) const = default;
};

// How long a line may be held: in event time since the call's entry, and
// while what is held stays within `lines` and `bytes`.
struct HoldBounds {
  int64_t wait_ns = 100'000'000;
  size_t lines = 4096;
  size_t bytes = 1 << 20;
};

class HeldLines {
 public:
  explicit HeldLines(std::ostream& out, HoldBounds bounds = {}) : out_(out), bounds_(bounds) {}

  // A whole line, with its "\n": written now, or after the held lines.
  void write(std::string line);
  // A line of `head` then `tail` that fill() may give a new tail; held
  // from now on. `since_ns` starts its time bound (none: no time bound).
  void hold(CallKey key, std::string head, std::string tail, std::optional<int64_t> since_ns);
  // Ends the held line of `key` with `tail` and writes it. False when no
  // line of that call is held (written already, or never held).
  bool fill(CallKey key, std::string tail);
  // Writes the held line of `key`, if any, as it is.
  void release(CallKey key);
  // The time of the event being shown: lines held too long are written.
  void at(std::optional<int64_t> now_ns);
  // Writes everything held (the end of input).
  void release_all();
  bool holding() const { return !queue_.empty(); }

 private:
  struct Line {
    std::string text;
    std::optional<CallKey> held;  // the call it waits for
    size_t head = 0;              // a held line's part that fill() keeps
  };
  struct Waiting {
    CallKey key;
    size_t index;  // in the queue, counted from its first line ever
    std::optional<int64_t> since_ns;
  };

  // Stops holding `waiting_[i]`'s line, then writes what no line holds back.
  void stop_waiting(size_t i);
  // Writes lines from the front of the queue up to the first held one.
  void drain();

  std::ostream& out_;
  HoldBounds bounds_;
  std::deque<Line> queue_;  // the first line is held, when there is one
  size_t popped_ = 0;       // lines written from the queue so far
  size_t queued_bytes_ = 0;
  std::vector<Waiting> waiting_;  // in queue order; few, at most one per thread
};

}  // namespace etrace::decode
