#include "decode/input/event_filter.h"

#include <algorithm>
#include <string_view>

namespace etrace::decode {

bool EventFilter::accepts_context(const ContextRef& context) const {
  if (uids.empty() && cgroups.empty() && containers.empty()) return true;
  if (!context) return false;
  const format::ContextFacts& f = context->facts;
  if (!uids.empty() && !uids.count(f.uid) && !uids.count(f.euid)) return false;
  if (!cgroups.empty() && !(f.cgroup_path && std::any_of(cgroups.begin(), cgroups.end(), [&](const std::string& c) {
        return format::cgroup_contains(c, *f.cgroup_path);
      })))
    return false;
  if (!containers.empty() && !(context->container && std::any_of(containers.begin(), containers.end(), [&](const std::string& id) {
        return context->container->rfind(id, 0) == 0;
      })))
    return false;
  return true;
}

bool EventFilter::accepts_task(uint32_t pid, const std::optional<std::string>& comm, const ContextRef& context) const {
  if (!pids.empty() && !pids.count(pid)) return false;
  if (!comms.empty() && (!comm || !comms.count(*comm))) return false;
  return accepts_context(context);
}

bool EventFilter::accepts(const Call& call) const {
  if (!syscalls.empty() && !call.function && !syscalls.count(call.nr)) return false;
  return accepts_task(call.tgid, call.comm, call.context);
}

bool EventFilter::accepts(const ProcessEvent& event) const {
  return accepts_task(event.tgid, event.comm, event.context);
}

bool EventFilter::accepts(const SignalEvent& event) const {
  return accepts_task(event.tgid, event.comm, event.context);
}

std::string cgroup_filter_path(const std::string& arg) {
  std::string path = format::normalized_path(arg);
  // Where cgroup v2 is usually mounted: alone, or beside v1 hierarchies.
  for (std::string_view mount : {"/sys/fs/cgroup/unified", "/sys/fs/cgroup"})
    if (path.rfind(mount, 0) == 0 && (path.size() == mount.size() || path[mount.size()] == '/')) {
      path.erase(0, mount.size());
      break;
    }
  return path.empty() ? "/" : path;
}

}  // namespace etrace::decode
