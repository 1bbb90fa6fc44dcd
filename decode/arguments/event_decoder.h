// Turns paired calls and process events into values for renderers: names
// and typed arguments from the syscall catalog, monotonic timestamps
// converted to wall-clock time with the capture's clock offset.
#pragma once

#include <cstdint>

#include "decode/arguments/decode_options.h"
#include "decode/arguments/library_catalog.h"
#include "decode/arguments/socket_facts.h"
#include "decode/arguments/syscall_catalog.h"
#include "decode/input/call_pairing.h"
#include "decode/values/decoded_event.h"
#include "format/metadata.h"

namespace etrace::decode {

class EventDecoder {
 public:
  EventDecoder(SyscallCatalog& catalog, int64_t realtime_offset_ns, DecodeOptions options = {})
      : catalog_(catalog), realtime_offset_ns_(realtime_offset_ns), options_(options) {}

  // The functions of library-call records (the capture's libraries block).
  void set_libraries(LibraryCatalog libraries) { libraries_ = std::move(libraries); }

  // `socket`: what is known of the socket the call names (its first
  // argument), for the messages it carries.
  DecodedCall decode(const CallEvent& event, std::optional<SocketFacts> socket = {}) const;
  DecodedProcessEvent decode(const ProcessEvent& event) const;
  DecodedSignal decode(const SignalEvent& event) const;
  DecodedLoss decode(const LossEvent& event) const {
    return {wall(event.ts_ns), event.cpu, event.count, wall(event.first_ts_ns), wall(event.last_ts_ns)};
  }

 private:
  int64_t wall(uint64_t monotonic_ns) const { return format::wall_clock_ns(monotonic_ns, realtime_offset_ns_); }
  // When, and in which thread: a process event's or a signal's.
  template <typename Event>
  void locate(ThreadEvent& d, const Event& event) const {
    d.wall_ns = wall(event.ts_ns);
    d.pid = event.tgid;
    d.tid = event.tid;
    d.comm = event.comm;
    d.context = event.context;
  }
  void decode_library_call(const Call& call, DecodedCall& d) const;

  SyscallCatalog& catalog_;
  int64_t realtime_offset_ns_;
  DecodeOptions options_;
  LibraryCatalog libraries_;
};

}  // namespace etrace::decode
