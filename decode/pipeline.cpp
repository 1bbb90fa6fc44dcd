#include "decode/pipeline.h"

#include "decode/descriptors/descriptor_values.h"

namespace etrace::decode {

Pipeline::Pipeline(SyscallCatalog& catalog, int64_t realtime_offset_ns, EventFilter filter, Output& output,
                   DecodeOptions options)
    : catalog_(catalog),
      descriptors_(catalog, options.descriptors > 0, options.descriptors > 1),
      show_descriptors_(options.descriptors > 0),
      decoder_(catalog, realtime_offset_ns, options),
      filter_(std::move(filter)),
      output_(output) {}

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
      const CallDescriptors& fds = descriptors_.call(*call);
      if (!filter_.accepts(call->call)) continue;
      DecodedCall decoded = decoder_.decode(*call, fds.socket);
      if (show_descriptors_) annotate_descriptors(decoded, catalog_.signature(call->call.nr), fds);
      output_.call(decoded);
    } else if (const auto* process = std::get_if<ProcessEvent>(&event)) {
      descriptors_.process(*process);
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
