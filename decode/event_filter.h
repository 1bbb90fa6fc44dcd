// Which calls and process events to show (--pid, --comm, --syscall). An
// empty set does not filter. The syscall filter applies to syscalls only:
// library calls and process events are always shown for the selected
// processes.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "decode/call_pairing.h"

namespace etrace::decode {

struct EventFilter {
  std::set<uint32_t> pids;  // tgids
  std::set<std::string> comms;
  std::set<uint16_t> syscalls;

  // On paired events, before decoding: what is filtered out is never decoded.
  bool accepts(const Call& call) const;
  bool accepts(const ProcessEvent& event) const;

 private:
  bool accepts_task(uint32_t pid, const std::optional<std::string>& comm) const;
};

}  // namespace etrace::decode
