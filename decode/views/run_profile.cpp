#include "decode/views/run_profile.h"

#include <variant>

namespace etrace::decode {
namespace {

// The paths among a call's arguments (structures and arrays included).
void collect_paths(const Value& v, std::vector<std::string>& out) {
  if (const auto* b = std::get_if<Bytes>(&v)) {
    if (b->style == Bytes::Style::kPath) out.push_back(b->data);
  } else if (const auto* a = std::get_if<Aggregate>(&v)) {
    for (const auto& f : a->fields) collect_paths(f.value, out);
  } else if (const auto* l = std::get_if<List>(&v)) {
    for (const auto& item : l->items) collect_paths(item, out);
  }
}

}  // namespace

ProcessProfile& RunProfile::of(uint32_t pid, const std::optional<std::string>& comm) {
  auto [it, added] = index_.try_emplace(pid, processes_.size());
  if (added) {
    processes_.emplace_back();
    processes_.back().pid = pid;
  }
  ProcessProfile& p = processes_[it->second];
  if (comm && p.program.empty()) p.program = *comm;
  return p;
}

void RunProfile::call(const DecodedCall& call) {
  if (call.phase == CallPhase::kEntered) return;  // counted once, when it ends
  ProcessProfile& p = of(call.pid, call.comm);
  std::vector<std::string> paths;
  if (call.args)
    for (const auto& a : *call.args) collect_paths(a.value, paths);
  p.paths.insert(paths.begin(), paths.end());
  if (call.ret && call.ret->error) {
    const auto& e = *call.ret->error;
    CallError key{call.syscall, e.name.empty() ? std::to_string(e.number) : e.name, std::nullopt};
    if (!paths.empty()) key.path = paths.front();
    ++p.errors[key];
  }
  if (call.duration_ns) {
    Latency& l = p.latency[call.syscall];
    ++l.calls;
    l.total_ns += *call.duration_ns;
  }
}

// An exec gives the process the program it is then known by; a fork makes
// the child appear where the parent made it.
void RunProfile::process(const DecodedProcessEvent& event) {
  switch (event.kind) {
    case ProcessEventKind::kExec:
      if (event.comm) of(event.pid, std::nullopt).program = *event.comm;
      break;
    case ProcessEventKind::kFork:
      of(event.pid, event.comm);
      if (event.child_pid != event.pid) of(event.child_pid, event.comm);
      break;
    default: of(event.pid, event.comm); break;
  }
}

std::vector<ProcessProfile> RunProfile::processes() const { return processes_; }

}  // namespace etrace::decode
