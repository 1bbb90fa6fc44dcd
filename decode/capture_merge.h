// Captures of several hosts (or several runs) decoded as one output, in
// wall-clock order, each event marked with its host. Each capture keeps
// its own catalog, pipeline and filters; the merge takes, at each step,
// the earliest event any of them has ready, so that memory stays that of
// the events one record makes.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "decode/capture_stream.h"
#include "decode/render/output.h"

namespace etrace::decode {

// The events a pipeline made, held until the merge takes them.
class EventQueue : public Output {
 public:
  void call(const DecodedCall& call) override { events_.emplace_back(call); }
  void process(const DecodedProcessEvent& event) override { events_.emplace_back(event); }
  void signal(const DecodedSignal& signal) override { events_.emplace_back(signal); }
  void loss(const DecodedLoss& loss) override { events_.emplace_back(loss); }

  bool empty() const { return events_.empty(); }
  // When the first event happened: what the merge orders by.
  int64_t first_time() const;
  // The first event, marked with `host`, into `out`.
  void pop_into(Output& out, HostRef host);

 private:
  std::deque<std::variant<DecodedCall, DecodedProcessEvent, DecodedSignal, DecodedLoss>> events_;
};

struct MergedCapture {
  std::unique_ptr<CaptureStream> stream;  // started into `queue`
  EventQueue queue;
  std::string host;  // as each of its events is marked
};

// Each group's files opened as a capture, named after its host: the host
// name it recorded, made unique ("db1", "db1#2") when two captures come
// from one host. Their streams are not started. A capture without a
// capture block is refused: its times are not wall-clock times.
Result<std::vector<std::unique_ptr<MergedCapture>>> open_merged(const std::vector<std::vector<std::string>>& groups,
                                                                const Options& o);

// The captures' trailers added up, for --stats; none unless every capture
// has its trailer. Losses per CPU add up by CPU number, across hosts.
std::optional<format::CaptureStats> added_trailers(const std::vector<std::unique_ptr<MergedCapture>>& captures);

// Where a merge's timeline starts: the earliest capture's start (wall-clock
// ns; open_merged() took only captures that have one).
int64_t earliest_start(const std::vector<std::unique_ptr<MergedCapture>>& captures);
// Where it ends: the latest capture's stop, of those whose trailer says.
std::optional<int64_t> latest_end(const std::vector<std::unique_ptr<MergedCapture>>& captures);

// Every event of every capture into `out`, earliest first; the captures'
// pending calls, once all have ended, likewise. Does not finish `out`.
void merge_captures(std::vector<std::unique_ptr<MergedCapture>>& captures, Output& out);

}  // namespace etrace::decode
