#include "decode/capture_merge.h"

#include <algorithm>
#include <cstdint>
#include <map>

namespace etrace::decode {

namespace {

// A call is taken when the pipeline made it: at its entry when it is only
// entered, at its end otherwise (the end is what pairing waited for).
int64_t time_of(const DecodedCall& call) {
  const auto& when = call.phase == CallPhase::kEntered ? call.entry_wall_ns : call.exit_wall_ns;
  return when.value_or(call.entry_wall_ns.value_or(0));
}
int64_t time_of(const ThreadEvent& event) { return event.wall_ns; }
int64_t time_of(const DecodedLoss& loss) { return loss.wall_ns; }

void deliver(Output& out, DecodedCall& call) { out.call(call); }
void deliver(Output& out, DecodedProcessEvent& event) { out.process(event); }
void deliver(Output& out, DecodedSignal& signal) { out.signal(signal); }
void deliver(Output& out, DecodedLoss& loss) { out.loss(loss); }

// Takes the earliest ready event while any capture has one; a capture
// whose queue is empty reads on until it has one or ends.
void merge_ready(std::vector<std::unique_ptr<MergedCapture>>& captures, Output& out) {
  for (;;) {
    MergedCapture* earliest = nullptr;
    for (auto& capture : captures) {
      while (capture->queue.empty() && capture->stream->step()) {
      }
      if (!capture->queue.empty() && (!earliest || capture->queue.first_time() < earliest->queue.first_time()))
        earliest = capture.get();
    }
    if (!earliest) return;
    earliest->queue.pop_into(out, &earliest->host);
  }
}

}  // namespace

int64_t EventQueue::first_time() const {
  return std::visit([](const auto& event) { return time_of(event); }, events_.front());
}

void EventQueue::pop_into(Output& out, HostRef host) {
  std::visit(
      [&](auto& event) {
        event.host = host;
        deliver(out, event);
      },
      events_.front());
  events_.pop_front();
}

Result<std::vector<std::unique_ptr<MergedCapture>>> open_merged(const std::vector<std::vector<std::string>>& groups,
                                                                const Options& o) {
  std::vector<std::unique_ptr<MergedCapture>> captures;
  std::map<std::string, size_t> seen;
  for (const auto& group : groups) {
    auto files = CaptureSet::open(group);
    if (!files) return files.error();
    if (!files->current().capture())
      return Error{group.front() + " has no capture block, so its times (since its host's boot) cannot be set "
                   "beside another capture's: decode it on its own"};
    auto stream = CaptureStream::open(std::move(*files), o);
    if (!stream) return stream.error();
    const auto& info = (*stream)->current().host();
    const std::string host = info && !info->hostname.empty() ? info->hostname : "?";
    const size_t n = ++seen[host];
    captures.push_back(std::make_unique<MergedCapture>());
    captures.back()->stream = std::move(*stream);
    captures.back()->host = n == 1 ? host : host + "#" + std::to_string(n);
  }
  return captures;
}

std::optional<format::CaptureStats> added_trailers(const std::vector<std::unique_ptr<MergedCapture>>& captures) {
  format::CaptureStats sum;
  const auto add = [](format::SyscallCounts& to, const format::SyscallCounts& from) {
    to.written += from.written;
    to.lost += from.lost;
  };
  for (const auto& capture : captures) {
    const auto trailer = capture->stream->trailer();
    if (!trailer) return std::nullopt;
    for (const auto& [nr, counts] : trailer->syscalls) add(sum.syscalls[nr], counts);
    for (const auto& [index, counts] : trailer->functions) add(sum.functions[index], counts);
    add(sum.process_records, trailer->process_records);
    for (const auto& [cpu, loss] : trailer->cpus) sum.cpus[cpu].lost += loss.lost;
    sum.hook_misses += trailer->hook_misses;
  }
  return sum;
}

int64_t earliest_start(const std::vector<std::unique_ptr<MergedCapture>>& captures) {
  int64_t start = INT64_MAX;
  for (const auto& capture : captures) start = std::min(start, capture->stream->start_wall_ns().value_or(0));
  return start;
}

std::optional<int64_t> latest_end(const std::vector<std::unique_ptr<MergedCapture>>& captures) {
  std::optional<int64_t> end;
  for (const auto& capture : captures)
    if (const auto stop = capture->stream->end_wall_ns()) end = std::max(end.value_or(*stop), *stop);
  return end;
}

void merge_captures(std::vector<std::unique_ptr<MergedCapture>>& captures, Output& out) {
  merge_ready(captures, out);
  for (auto& capture : captures) capture->stream->finish();
  merge_ready(captures, out);
}

}  // namespace etrace::decode
