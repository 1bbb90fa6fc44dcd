#include "decode/event_filter.h"

namespace etrace::decode {

bool EventFilter::accepts_task(uint32_t pid, const std::optional<std::string>& comm) const {
  if (!pids.empty() && !pids.count(pid)) return false;
  if (!comms.empty() && (!comm || !comms.count(*comm))) return false;
  return true;
}

bool EventFilter::accepts(const Call& call) const {
  if (!syscalls.empty() && !call.function && !syscalls.count(call.nr)) return false;
  return accepts_task(call.tgid, call.comm);
}

bool EventFilter::accepts(const ProcessEvent& event) const { return accepts_task(event.tgid, event.comm); }

}  // namespace etrace::decode
