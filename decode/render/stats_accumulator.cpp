#include "decode/render/stats_accumulator.h"

#include <algorithm>

namespace etrace::decode {

void StatsAccumulator::saw(std::optional<int64_t> wall_ns) {
  if (!wall_ns) return;
  first_ = first_ ? std::min(*first_, *wall_ns) : *wall_ns;
  last_ = last_ ? std::max(*last_, *wall_ns) : *wall_ns;
}

void StatsAccumulator::call(const DecodedCall& call) {
  // Every call is counted once, when it ends (or is left unfinished).
  if (call.phase == CallPhase::kEntered) return;
  saw(call.entry_wall_ns);
  saw(call.exit_wall_ns);
  // Library functions as "name()", apart from syscalls of the same name.
  const std::string name = call.library ? call.syscall + "()" : call.syscall;
  SyscallTotals& row = syscalls_[name];
  ProcessTotals& process = processes_[{call.host ? *call.host : "", call.pid}];
  row.calls++;
  process.calls++;
  if (call.comm) process.comm = *call.comm;
  if (call.duration_ns) {
    row.latency.add(*call.duration_ns);
    process.ns += *call.duration_ns;
  }
  if (!call.ret || !call.ret->error) return;
  row.errors++;
  process.errors++;
  const auto& e = *call.ret->error;
  ErrnoTotals& by_errno = errors_[e.name.empty() ? std::to_string(e.number) : e.name];
  by_errno.message = e.message;
  by_errno.count++;
  by_errno.syscalls[name]++;
}

void StatsAccumulator::process(const DecodedProcessEvent& event) {
  saw(event.wall_ns);
  if (event.kind != ProcessEventKind::kExec || !event.comm) return;
  if (auto it = processes_.find({event.host ? *event.host : "", event.pid}); it != processes_.end())
    it->second.comm = *event.comm;
}

void StatsAccumulator::signal(const DecodedSignal& signal) {
  saw(signal.wall_ns);
  ProcessTotals& process = processes_[{signal.host ? *signal.host : "", signal.pid}];
  process.signals++;
  if (signal.comm) process.comm = *signal.comm;
  SignalTotals& row = signals_[signal.name];
  // A handler is an address; SIG_DFL (0) and SIG_IGN (1) are not.
  const auto* handler = signal.handler ? std::get_if<Symbolic>(&*signal.handler) : nullptr;
  const bool handled = handler && static_cast<uint64_t>(handler->raw) > 1;
  const auto* disposition = signal.handler ? std::get_if<Symbolic>(&*signal.handler) : nullptr;
  if (handled) row.handled++;
  else if (signal.kind == SignalKind::kIgnored || (disposition && disposition->text == "SIG_IGN")) row.ignored++;
  else row.defaulted++;
}

void StatsAccumulator::loss(const DecodedLoss& loss) {
  saw(loss.wall_ns);
  CpuGaps& g = gaps_[loss.cpu];
  g.gaps++;
  g.lost += loss.count;
}

}  // namespace etrace::decode
