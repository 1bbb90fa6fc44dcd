#include "decode/input/call_pairing.h"

#include <linux/types.h>

#include <algorithm>

#include "format/records.h"

namespace etrace::decode {

namespace {

std::optional<SignalKind> signal_kind(uint32_t kind) {
  switch (kind) {
    case ETRACE_SIGNAL_DELIVERED: return SignalKind::kDelivered;
    case ETRACE_SIGNAL_IGNORED: return SignalKind::kIgnored;
    case ETRACE_SIGNAL_FATAL: return SignalKind::kFatal;
    default: return std::nullopt;  // a newer writer's
  }
}

}  // namespace

void CallPairing::feed(const Record& record, std::vector<PairedEvent>& out) {
  std::visit([&](const auto& r) { on(r, out); }, record);
}

Call CallPairing::start_call(const RecordHeader& h, const Thread& t) {
  Call c;
  c.seq = next_seq_++;
  c.tgid = h.tgid;
  c.tid = h.tid;
  c.nr = h.nr;
  c.comm = t.comm;
  c.context = t.context;
  return c;
}

void CallPairing::on(const SysEnterRecord& r, std::vector<PairedEvent>& out) {
  Thread& t = threads_[r.h.tid];
  t.fresh_child = false;
  // A thread is in one syscall at a time: a call still pending lost its EXIT.
  if (t.pending) end_pending(t, CallPhase::kUnfinished, out);
  Call c = start_call(r.h, t);
  c.enter_ns = r.h.ts_ns;
  c.args = r.args;
  c.enter_payloads = r.payloads;
  t.pending = c;
  out.push_back(CallEvent{CallPhase::kEntered, std::move(c)});
}

void CallPairing::on(const SysExitRecord& r, std::vector<PairedEvent>& out) {
  Thread& t = threads_[r.h.tid];
  const bool fresh_child = t.fresh_child;
  t.fresh_child = false;
  if (t.pending && t.pending->nr == r.h.nr) {
    t.pending->tgid = r.h.tgid;  // unchanged, except after a non-leader execve
    t.pending->exit_ns = r.h.ts_ns;
    t.pending->ret = r.ret;
    t.pending->exit_payloads = r.payloads;
    end_pending(t, CallPhase::kCompleted, out);
    return;
  }
  // The EXIT of another syscall: the pending call's own EXIT was lost.
  if (t.pending) end_pending(t, CallPhase::kUnfinished, out);
  // A new child's first record is its return from the parent's clone/fork:
  // the parent's call already reports it.
  if (fresh_child && r.ret == 0) return;
  Call c = start_call(r.h, t);
  c.exit_ns = r.h.ts_ns;
  c.ret = r.ret;
  c.exit_payloads = r.payloads;
  out.push_back(CallEvent{CallPhase::kExitOnly, std::move(c)});
}

void CallPairing::on(const LibEnterRecord& r, std::vector<PairedEvent>& out) {
  Thread& t = threads_[r.h.tid];
  t.fresh_child = false;
  Call c = start_call(r.h, t);
  c.function = r.func;
  c.enter_ns = r.h.ts_ns;
  c.args = r.args;
  c.enter_payloads = r.payloads;
  t.library_calls.push_back(c);
  out.push_back(CallEvent{CallPhase::kEntered, std::move(c)});
}

void CallPairing::on(const LibExitRecord& r, std::vector<PairedEvent>& out) {
  Thread& t = threads_[r.h.tid];
  auto& calls = t.library_calls;
  auto it = std::find_if(calls.rbegin(), calls.rend(), [&](const Call& c) { return c.function == r.func; });
  Call c;
  if (it == calls.rend()) {
    c = start_call(r.h, t);  // entered before the capture, or its entry was lost
    c.function = r.func;
  } else {
    // Calls above it were left by a longjmp: they never return.
    const auto at = calls.begin() + (calls.rend() - it - 1);
    for (auto above = calls.end(); above != at + 1;) {
      --above;
      out.push_back(CallEvent{CallPhase::kUnfinished, std::move(*above)});
    }
    c = std::move(*at);
    calls.erase(at, calls.end());
  }
  const bool entered = c.enter_ns.has_value();
  c.exit_ns = r.h.ts_ns;
  c.ret = r.ret;
  c.exit_payloads = r.payloads;
  out.push_back(CallEvent{entered ? CallPhase::kCompleted : CallPhase::kExitOnly, std::move(c)});
}

void CallPairing::end_library_calls(Thread& t, CallPhase phase, std::optional<uint64_t> ts_ns,
                                    std::vector<PairedEvent>& out) {
  while (!t.library_calls.empty()) {
    Call c = std::move(t.library_calls.back());
    t.library_calls.pop_back();
    if (ts_ns) c.exit_ns = ts_ns;
    out.push_back(CallEvent{phase, std::move(c)});
  }
}

void CallPairing::end_pending(Thread& t, CallPhase phase, std::vector<PairedEvent>& out) {
  out.push_back(CallEvent{phase, std::move(*t.pending)});
  t.pending.reset();
  for (auto& s : t.signals) out.push_back(std::move(s));
  t.signals.clear();
}

void CallPairing::on(const SignalRecord& r, std::vector<PairedEvent>& out) {
  const auto kind = signal_kind(r.kind);
  if (!kind) return;
  Thread& t = threads_[r.h.tid];
  SignalEvent e{r.h.ts_ns, r.h.tgid, r.h.tid,  t.comm,       t.context,    *kind, r.signo,
                r.handler, r.sa_flags, r.sender_tgid, r.sender_tid, r.info};
  // Recorded in the sender while the thread was inside a call: the thread
  // meets it when the call returns.
  if (*kind != SignalKind::kDelivered && t.pending) t.signals.push_back(std::move(e));
  else out.push_back(std::move(e));
}

void CallPairing::on(const TaskRecord& r, std::vector<PairedEvent>&) { threads_[r.h.tid].comm = r.comm; }

void CallPairing::on(const ContextRecord& r, std::vector<PairedEvent>&) {
  threads_[r.h.tid].context = contexts_.on_context(r.facts);
}

void CallPairing::on(const ForkRecord& r, std::vector<PairedEvent>& out) {
  const Thread& parent = threads_[r.h.tid];
  std::optional<std::string> parent_comm = parent.comm;
  ContextRef parent_context = parent.context;
  contexts_.on_fork(r.h.tgid, r.child_tgid);
  Thread& child = threads_[r.child_tid];
  ended_processes_.erase(r.child_tgid);
  // A child's comm is its parent's until it renames or execs; the child's
  // own TASK record may already have arrived, and wins.
  if (!child.comm) child.comm = parent_comm;
  child.fresh_child = true;
  ProcessEvent e;
  e.kind = ProcessEvent::Kind::kFork;
  e.ts_ns = r.h.ts_ns;
  e.tgid = r.h.tgid;
  e.tid = r.h.tid;
  e.comm = parent_comm;
  e.context = std::move(parent_context);
  e.child_tgid = r.child_tgid;
  e.child_tid = r.child_tid;
  out.push_back(std::move(e));
}

void CallPairing::on(const ExecRecord& r, std::vector<PairedEvent>& out) {
  if (r.old_tid != r.h.tid) {
    // A non-leader thread exec'd and took over the leader's tid: its execve
    // finishes under the new tid. The old leader has already exited.
    auto old = threads_.find(r.old_tid);
    std::optional<Call> moving;
    std::vector<SignalEvent> moving_signals;
    if (old != threads_.end()) {
      moving = std::move(old->second.pending);
      moving_signals = std::move(old->second.signals);
      end_library_calls(old->second, CallPhase::kNoReturn, r.h.ts_ns, out);
      threads_.erase(old);
    }
    Thread& t = threads_[r.h.tid];
    if (t.pending) {
      t.pending->exit_ns = r.h.ts_ns;
      end_pending(t, CallPhase::kNoReturn, out);
    }
    t.pending = std::move(moving);
    t.signals = std::move(moving_signals);
    if (t.pending) t.pending->tid = r.h.tid;
  }
  Thread& t = threads_[r.h.tid];
  t.comm = r.comm;
  t.fresh_child = false;
  // The old image's library calls (the execve's callers) never return.
  end_library_calls(t, CallPhase::kNoReturn, r.h.ts_ns, out);
  ProcessEvent e;
  e.kind = ProcessEvent::Kind::kExec;
  e.ts_ns = r.h.ts_ns;
  e.tgid = r.h.tgid;
  e.tid = r.h.tid;
  e.comm = r.comm;
  e.context = t.context;
  e.old_tid = r.old_tid;
  out.push_back(std::move(e));
}

void CallPairing::on(const TaskExitRecord& r, std::vector<PairedEvent>& out) {
  auto it = threads_.find(r.h.tid);
  std::optional<std::string> comm;
  ContextRef context;
  if (it != threads_.end()) {
    comm = it->second.comm;
    context = std::move(it->second.context);
    if (it->second.pending) {
      it->second.pending->exit_ns = r.h.ts_ns;
      end_pending(it->second, CallPhase::kNoReturn, out);
    }
    end_library_calls(it->second, CallPhase::kNoReturn, r.h.ts_ns, out);
    // Tids are reused: forget this one.
    threads_.erase(it);
  }
  ProcessEvent e;
  const bool process_ends = r.group_dead && ended_processes_.insert(r.h.tgid).second;
  e.kind = process_ends ? ProcessEvent::Kind::kExit : ProcessEvent::Kind::kThreadExit;
  if (process_ends) contexts_.on_process_end(r.h.tgid);
  e.ts_ns = r.h.ts_ns;
  e.tgid = r.h.tgid;
  e.tid = r.h.tid;
  e.comm = std::move(comm);
  e.context = std::move(context);
  e.status = r.exit_code;
  out.push_back(std::move(e));
}

void CallPairing::on(const LossRecord& r, std::vector<PairedEvent>& out) {
  // Built in place (GCC 12 misreads a temporary variant here as uninitialized)
  // from a braced LossEvent (clang 14 cannot initialize an aggregate from parentheses).
  out.emplace_back(std::in_place_type<LossEvent>, LossEvent{r.h.ts_ns, r.h.cpu, r.count, r.first_ts_ns, r.last_ts_ns});
}

void CallPairing::finish(std::vector<PairedEvent>& out) {
  std::vector<Call> pending;
  std::vector<SignalEvent> signals;
  for (auto& [tid, t] : threads_) {
    if (t.pending) pending.push_back(std::move(*t.pending));
    for (auto& c : t.library_calls) pending.push_back(std::move(c));
    for (auto& s : t.signals) signals.push_back(std::move(s));
  }
  threads_.clear();
  std::sort(pending.begin(), pending.end(), [](const Call& a, const Call& b) { return a.seq < b.seq; });
  for (auto& c : pending) out.push_back(CallEvent{CallPhase::kUnfinished, std::move(c)});
  // Met inside calls still under way; each thread's in the order met.
  std::stable_sort(signals.begin(), signals.end(),
                   [](const SignalEvent& a, const SignalEvent& b) { return a.ts_ns < b.ts_ns; });
  for (auto& s : signals) out.push_back(std::move(s));
}

}  // namespace etrace::decode
