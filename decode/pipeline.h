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
#include "decode/views/descriptor_activity.h"

namespace etrace::decode {

class Pipeline {
 public:
  Pipeline(SyscallCatalog& catalog, int64_t realtime_offset_ns, EventFilter filter, Output& output,
           DecodeOptions options = {});

  // The functions of library-call records (the capture's libraries block).
  void set_libraries(LibraryCatalog libraries) { decoder_.set_libraries(std::move(libraries)); }
  // --files, --conns: `activity` sees every call and process event before
  // the descriptor tracker applies it, and the files the tracker makes and
  // releases. Call before the first record.
  void follow_descriptors(DescriptorActivity& activity);

  // Decodes one record's bytes. Unknown record types are skipped; a known
  // record shorter than its layout is skipped and counted.
  void feed(std::span<const uint8_t> record_bytes);
  void feed(const Record& record);
  // End of input: pending calls are reported unfinished. Does not call
  // output.finish(), so the caller can add what only it knows.
  void finish();

  uint64_t records() const { return records_; }
  // Calls (library calls too) in the capture, and those the filters let through.
  uint64_t calls() const { return calls_; }
  uint64_t calls_shown() const { return calls_shown_; }
  bool filtering() const { return filter_.active(); }
  uint64_t malformed_records() const { return malformed_; }
  const std::string& first_malformed() const { return first_malformed_; }

 private:
  void deliver();

  SyscallCatalog& catalog_;
  CallPairing pairing_;
  // Every call's descriptors: for -y, and for the sockets' messages.
  DescriptorTracker descriptors_;
  const bool show_descriptors_;  // -y
  DescriptorActivity* activity_ = nullptr;  // --files, --conns
  EventDecoder decoder_;
  EventFilter filter_;
  Output& output_;
  std::vector<PairedEvent> events_;
  uint64_t records_ = 0;
  uint64_t calls_ = 0;
  uint64_t calls_shown_ = 0;
  uint64_t malformed_ = 0;
  std::string first_malformed_;
};

// Feeds every record of an opened capture to the pipeline, without
// finishing it: a rotated capture's next file continues it.
void feed_all(CaptureFile& capture, Pipeline& pipeline);
// feed_all, then finish: every record of one capture into its output.
void decode_all(CaptureFile& capture, Pipeline& pipeline);

}  // namespace etrace::decode
