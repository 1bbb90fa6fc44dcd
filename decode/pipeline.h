// The decoding pipeline for one capture: records -> calls and process
// events (pairing) -> values (decoder) -> filter -> an Output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "decode/arguments/event_decoder.h"
#include "decode/arguments/syscall_catalog.h"
#include "decode/descriptors/descriptor_tracker.h"
#include "decode/input/call_pairing.h"
#include "decode/input/capture_file.h"
#include "decode/input/event_filter.h"
#include "decode/render/output.h"

namespace etrace::decode {

class Pipeline {
 public:
  Pipeline(SyscallCatalog& catalog, int64_t realtime_offset_ns, EventFilter filter, Output& output,
           DecodeOptions options = {});

  // The functions of library-call records (the capture's libraries block).
  void set_libraries(LibraryCatalog libraries) { decoder_.set_libraries(std::move(libraries)); }

  // Decodes one record's bytes. Unknown record types are skipped; a known
  // record shorter than its layout is skipped and counted.
  void feed(std::span<const uint8_t> record_bytes);
  void feed(const Record& record);
  // End of input: pending calls are reported unfinished. Does not call
  // output.finish(), so the caller can add what only it knows.
  void finish();

  uint64_t records() const { return records_; }
  uint64_t malformed_records() const { return malformed_; }
  const std::string& first_malformed() const { return first_malformed_; }

 private:
  void deliver();

  SyscallCatalog& catalog_;
  CallPairing pairing_;
  // Every call's descriptors: for -y, and for the sockets' messages.
  DescriptorTracker descriptors_;
  const bool show_descriptors_;  // -y
  EventDecoder decoder_;
  EventFilter filter_;
  Output& output_;
  std::vector<PairedEvent> events_;
  uint64_t records_ = 0;
  uint64_t malformed_ = 0;
  std::string first_malformed_;
};

// Decodes every record of an opened capture into `output`.
void decode_all(CaptureFile& capture, Pipeline& pipeline);

}  // namespace etrace::decode
