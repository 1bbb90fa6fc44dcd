#include "decode/pipeline.h"

namespace etrace::decode {

Pipeline::Pipeline(SyscallCatalog& catalog, int64_t realtime_offset_ns, EventFilter filter, Output& output,
                   DecodeOptions options)
    : decoder_(catalog, realtime_offset_ns, options), filter_(std::move(filter)), output_(output) {}

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
  pairing_.feed(record, events_);
  deliver();
}

void Pipeline::finish() {
  pairing_.finish(events_);
  deliver();
}

void Pipeline::deliver() {
  for (const auto& event : events_) {
    if (const auto* call = std::get_if<CallEvent>(&event)) {
      if (filter_.accepts(call->call)) output_.call(decoder_.decode(*call));
    } else if (const auto* process = std::get_if<ProcessEvent>(&event)) {
      if (filter_.accepts(*process)) output_.process(decoder_.decode(*process));
    } else {
      // Never filtered: a gap may hide any process's calls.
      output_.loss(decoder_.decode(std::get<LossEvent>(event)));
    }
  }
  events_.clear();
}

void decode_all(CaptureFile& capture, Pipeline& pipeline) {
  while (auto record = capture.next_record()) pipeline.feed(record->bytes);
  pipeline.finish();
}

}  // namespace etrace::decode
