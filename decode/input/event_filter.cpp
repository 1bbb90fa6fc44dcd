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

bool EventFilter::accepts_task(uint32_t pid, uint32_t tid, const std::optional<std::string>& comm,
                               const ContextRef& context) const {
  // -p and --tree name processes together: either may match.
  if ((!pids.empty() || !trees.empty()) && !pids.count(pid) && !trees.count(pid)) return false;
  if (!tids.empty() && !tids.count(tid)) return false;
  if (!comms.empty() && (!comm || !comms.count(*comm))) return false;
  return accepts_context(context);
}

bool EventFilter::accepts_time(uint64_t ts_ns) const {
  return (!since_ns || ts_ns >= *since_ns) && (!until_ns || ts_ns <= *until_ns);
}

bool EventFilter::accepts(const Call& call) const {
  if (!syscalls.empty() && !call.function && !syscalls.count(call.nr)) return false;
  if (by_outcome() && call.function) return false;
  if (const auto ts = call.enter_ns ? call.enter_ns : call.exit_ns; ts && !accepts_time(*ts)) return false;
  return accepts_task(call.tgid, call.tid, call.comm, call.context);
}

bool EventFilter::accepts(const ProcessEvent& event) const {
  return accepts_time(event.ts_ns) && accepts_task(event.tgid, event.tid, event.comm, event.context);
}

bool EventFilter::accepts_outcome(CallPhase phase, const Call& call) const {
  if (phase == CallPhase::kNoReturn || phase == CallPhase::kUnfinished || !call.ret)
    return outcomes.count(CallOutcome::kUnfinished) > 0;
  // A syscall fails by returning -errno, -4095 to -1.
  const bool failed = *call.ret < 0 && *call.ret >= -4095;
  if (!errnos.empty()) return failed && errnos.count(static_cast<int>(-*call.ret));
  return outcomes.count(failed ? CallOutcome::kFailed : CallOutcome::kSuccessful) > 0;
}

bool EventFilter::accepts_paths(const std::vector<std::string>& touched) const {
  if (paths.empty()) return true;
  return std::any_of(touched.begin(), touched.end(), [this](const std::string& p) { return paths.count(p) > 0; });
}

void EventFilter::follow(const ProcessEvent& event) {
  if (event.kind == ProcessEventKind::kFork && trees.count(event.tgid)) trees.insert(event.child_tgid);
}

bool EventFilter::active() const {
  return !pids.empty() || !tids.empty() || !trees.empty() || !comms.empty() || !syscalls.empty() || !uids.empty() ||
         !cgroups.empty() || !containers.empty() || by_outcome() || since_ns || until_ns || !paths.empty();
}

bool EventFilter::accepts(const SignalEvent& event) const {
  return accepts_time(event.ts_ns) && accepts_task(event.tgid, event.tid, event.comm, event.context);
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
