#include "decode/pipeline.h"

#include "decode/descriptors/descriptor_values.h"

namespace etrace::decode {

namespace {

// -P: the paths a call names in its arguments, and those its descriptors
// refer to (before and after it, and the one it returned).
std::vector<std::string> paths_touched(const DecodedCall& call, const CallDescriptors& fds) {
  std::vector<std::string> out;
  if (call.args)
    for (const auto& arg : *call.args)
      if (const auto* bytes = std::get_if<Bytes>(&arg.value); bytes && bytes->style == Bytes::Style::kPath)
        out.push_back(bytes->data);
  for (const auto* list : {&fds.at_entry, &fds.at_exit})
    for (const auto& [fd, path] : *list) out.push_back(path);
  if (fds.returned) out.push_back(*fds.returned);
  return out;
}

}  // namespace

Pipeline::Pipeline(SyscallCatalog& catalog, int64_t realtime_offset_ns, EventFilter filter, Output& output,
                   DecodeOptions options)
    : catalog_(catalog),
      // -P needs to know what each descriptor refers to, as -y does.
      descriptors_(catalog, options.descriptors > 0 || !filter.paths.empty(), options.descriptors > 1),
      show_descriptors_(options.descriptors > 0),
      decoder_(catalog, realtime_offset_ns, options),
      filter_(std::move(filter)),
      output_(output) {}

void Pipeline::follow_descriptors(DescriptorActivity& activity) {
  descriptors_.watch(&activity);
  activity_ = &activity;
}

void Pipeline::feed(std::span<const uint8_t> record_bytes) {
  auto parsed = parse_record(record_bytes);
  if (!parsed) {
    if (malformed_++ == 0) first_malformed_ = parsed.error().message;
    return;
  }
  if (!*parsed) return;
  // Damaged payloads cost their arguments' contents, not the call.
  if (const std::string& why = payload_error_of(**parsed); !why.empty() && malformed_++ == 0) first_malformed_ = why;
  feed(**parsed);
}

void Pipeline::feed(const Record& record) {
  ++records_;
  if (const auto* fd = std::get_if<FdRecord>(&record)) {
    if (activity_) activity_->snapshot();
    descriptors_.snapshot(*fd);
    return;
  }
  pairing_.feed(record, events_);
  deliver();
}

void Pipeline::finish() {
  pairing_.finish(events_);
  deliver();
}

void Pipeline::deliver() {
  for (const auto& event : events_) {
    // The descriptor tracker follows every call and process, shown or not.
    if (const auto* call = std::get_if<CallEvent>(&event)) {
      const bool kept = filter_.accepts(call->call);
      if (activity_) activity_->call(*call, descriptors_.tables(), kept);
      const CallDescriptors& fds = descriptors_.call(*call);
      if (call->phase != CallPhase::kEntered) ++calls_;
      if (!kept) continue;
      // By outcome, a call is shown once its end is known: whole, as if no
      // other thread had come between its start and its end.
      if (filter_.by_outcome() && (call->phase == CallPhase::kEntered || !filter_.accepts_outcome(call->phase, call->call)))
        continue;
      DecodedCall decoded = decoder_.decode(*call, fds.socket);
      // -P only: the paths are gathered for no call otherwise.
      if (!filter_.paths.empty() && !filter_.accepts_paths(paths_touched(decoded, fds))) continue;
      if (show_descriptors_) annotate_descriptors(decoded, catalog_.signature(call->call.nr), fds);
      if (filter_.by_outcome() && call->call.enter_ns) {
        DecodedCall started = decoded;
        started.phase = CallPhase::kEntered;
        output_.call(started);
      }
      if (call->phase != CallPhase::kEntered) ++calls_shown_;
      output_.call(decoded);
    } else if (const auto* process = std::get_if<ProcessEvent>(&event)) {
      if (activity_) activity_->process(*process);
      descriptors_.process(*process);
      filter_.follow(*process);
      if (filter_.accepts(*process)) output_.process(decoder_.decode(*process));
    } else if (const auto* signal = std::get_if<SignalEvent>(&event)) {
      if (filter_.accepts(*signal)) output_.signal(decoder_.decode(*signal));
    } else {
      // Never filtered: a gap may hide any process's calls.
      output_.loss(decoder_.decode(std::get<LossEvent>(event)));
    }
  }
  events_.clear();
}

void feed_all(CaptureFile& capture, Pipeline& pipeline) {
  while (auto record = capture.next_record()) pipeline.feed(record->bytes);
}

void decode_all(CaptureFile& capture, Pipeline& pipeline) {
  feed_all(capture, pipeline);
  pipeline.finish();
}

}  // namespace etrace::decode
