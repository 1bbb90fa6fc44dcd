#include "decode/render/perfetto_renderer.h"

#include <algorithm>
#include <string_view>

#include "decode/render/json_values.h"
#include "decode/render/json_writer.h"
#include "decode/render/time_format.h"

namespace etrace::decode {

namespace {

// An event of phase `ph` on the (pid, tid) track; the rest of it follows.
JsonLine on_track(const char* ph, std::string_view name, uint32_t pid, uint32_t tid) {
  JsonLine j;
  j.key("ph").value(ph);
  j.key("name").value(name);
  j.key("pid").value(pid);
  j.key("tid").value(tid);
  return j;
}

// A track's name: the command's; in a merge, with its host and the real id
// ("east: nginx (pid 4242)"), which the track's number is not.
std::string track_name(HostRef host, const std::string& comm, const char* id_kind, uint32_t id) {
  if (!host) return comm;
  return *host + ": " + comm + " (" + id_kind + " " + std::to_string(id) + ")";
}

}  // namespace

PerfettoRenderer::PerfettoRenderer(std::ostream& out, int64_t origin_wall_ns, StringOptions strings)
    : out_(out), origin_(origin_wall_ns), strings_(strings) {
  out_ << "{\"traceEvents\":[\n";
}

void PerfettoRenderer::seen(std::optional<int64_t> wall_ns) {
  if (wall_ns) latest_ = std::max(latest_.value_or(*wall_ns), *wall_ns);
}

uint32_t PerfettoRenderer::track(HostRef host, uint32_t id) {
  if (!host) return id;
  return tracks_.try_emplace(ThreadKey{host, id}, static_cast<uint32_t>(tracks_.size() + 1)).first->second;
}

JsonLine PerfettoRenderer::event(const char* ph, const std::string& name, const Thread& at, int64_t wall_ns) {
  JsonLine j = on_track(ph, name, track(at.host, at.pid), track(at.host, at.tid));
  j.key("ts").decimal(wall_ns - origin_, 3);
  return j;
}

void PerfettoRenderer::open_args(JsonLine& j, const Thread& at) {
  j.key("args").begin_object();
  if (!at.host) return;
  j.key("host").value(*at.host);
  j.key("pid").value(at.pid);
  j.key("tid").value(at.tid);
}

void PerfettoRenderer::write(JsonLine& j) {
  if (!first_) out_ << ',';
  first_ = false;
  out_ << j.finish();
}

void PerfettoRenderer::write_name(const char* what, uint32_t pid_track, uint32_t tid_track, const std::string& name) {
  JsonLine j = on_track("M", what, pid_track, tid_track);
  j.key("args").begin_object().key("name").value(name).end_object();
  write(j);
}

void PerfettoRenderer::name_process(HostRef host, uint32_t pid_track, const std::string& name, bool first) {
  write_name("process_name", pid_track, pid_track, name);
  if (!host || !first) return;
  JsonLine j = on_track("M", "process_sort_index", pid_track, pid_track);
  const int order = host_order_.try_emplace(host, static_cast<int>(host_order_.size() + 1)).first->second;
  j.key("args").begin_object().key("sort_index").value(order).end_object();
  write(j);
}

void PerfettoRenderer::name_tracks(const Thread& at, const std::optional<std::string>& comm, bool renamed) {
  if (!comm) return;
  const uint32_t pid = track(at.host, at.pid), tid = track(at.host, at.tid);
  if (auto [it, added] = thread_names_.try_emplace(tid, *comm); added || (renamed && it->second != *comm)) {
    it->second = *comm;
    write_name("thread_name", pid, tid, track_name(at.host, *comm, "tid", at.tid));
  }
  // The leader names its process; another thread only until the leader is seen.
  auto [it, added] = process_names_.try_emplace(pid, *comm);
  if (added || (at.tid == at.pid && renamed && it->second != *comm)) {
    it->second = *comm;
    name_process(at.host, pid, track_name(at.host, *comm, "pid", at.pid), added);
  }
}

void PerfettoRenderer::slice(const DecodedCall& call, int64_t end_wall_ns) {
  const int64_t start = *call.entry_wall_ns;
  JsonLine j = event("X", call.syscall, thread(call), start);
  j.key("dur").decimal(std::max<int64_t>(end_wall_ns - start, 0), 3);
  const bool unfinished = call.phase != CallPhase::kCompleted;
  open_args(j, thread(call));
  j.key("call").value(call_text(call, strings_) + ") = " +
                      (call.ret ? return_text(*call.ret, strings_) : std::string("?")));
  PartialValues partial;
  put_arguments(j, call.args, partial);
  put_result(j, call.ret, partial);
  if (unfinished) j.key("unfinished").value(true);
  partial.put(j);
  j.end_object();
  write(j);
}

void PerfettoRenderer::call(const DecodedCall& call) {
  if (call.phase == CallPhase::kEntered) return;  // drawn when it ends
  seen(call.entry_wall_ns);
  seen(call.exit_wall_ns);
  name_tracks(thread(call), call.comm, false);
  switch (call.phase) {
    case CallPhase::kCompleted:
    case CallPhase::kNoReturn:  // ends with its task
      if (call.entry_wall_ns && call.exit_wall_ns) slice(call, *call.exit_wall_ns);
      return;
    case CallPhase::kUnfinished:
      if (call.entry_wall_ns) unfinished_.push_back(call);
      return;
    case CallPhase::kExitOnly: {
      // Its start is unknown: a mark where it returned.
      JsonLine j = event("i", call.syscall, thread(call), call.exit_wall_ns.value_or(0));
      j.key("s").value("t");
      open_args(j, thread(call));
      PartialValues partial;
      put_result(j, call.ret, partial);
      j.key("entry_not_captured").value(true);
      partial.put(j);
      j.end_object();
      write(j);
      return;
    }
    case CallPhase::kEntered:
      return;
  }
}

void PerfettoRenderer::process(const DecodedProcessEvent& e) {
  seen(e.wall_ns);
  // Marked on the thread that forked or exec'd; an exit ends the process.
  JsonLine j = event("i", process_event_name(e.kind), thread(e), e.wall_ns);
  j.key("s").value(e.kind == ProcessEventKind::kExit ? "p" : "t");
  open_args(j, thread(e));
  j.key("comm");
  if (e.comm) j.value(*e.comm);
  else j.null();
  put_process_details(j, e);
  j.end_object();
  write(j);
  name_tracks(thread(e), e.comm, e.kind == ProcessEventKind::kExec);
}

void PerfettoRenderer::signal(const DecodedSignal& signal) {
  seen(signal.wall_ns);
  name_tracks(thread(signal), signal.comm, false);
  // Marked on the receiving thread when it was recorded: when it was sent,
  // for one ignored or fatal at once.
  JsonLine j = event("i", signal.name, thread(signal), signal.wall_ns);
  j.key("s").value("t");
  open_args(j, thread(signal));
  j.key("text").value("--- " + signal.name + " " + value_text(signal.info, strings_) + " ---");
  put_signal_details(j, signal);
  j.end_object();
  write(j);
}

void PerfettoRenderer::loss(const DecodedLoss& loss) {
  seen(loss.wall_ns);
  // Any process's records may be missing: marked across the whole timeline;
  // in a merge, only the host's are, so on a track of the host's own (pid
  // 0, no traced process's).
  const Thread on{loss.host, 0, 0};
  if (loss.host && process_names_.try_emplace(track(loss.host, 0)).second)
    name_process(loss.host, track(loss.host, 0), *loss.host + ": lost events", true);
  JsonLine j = event("i", "lost " + std::to_string(loss.count) + " events on cpu " + std::to_string(loss.cpu), on,
                     loss.wall_ns);
  j.key("s").value(loss.host ? "p" : "g");
  j.key("args").begin_object();
  if (loss.host) j.key("host").value(*loss.host);
  j.key("cpu").value(static_cast<uint32_t>(loss.cpu));
  j.key("count").value(loss.count);
  j.key("first_ts_ns").digits(loss.first_wall_ns);
  j.key("last_ts_ns").digits(loss.last_wall_ns);
  j.end_object();
  write(j);
}

void PerfettoRenderer::finish() {
  const int64_t end = end_wall_ns_.value_or(latest_.value_or(origin_));
  for (const auto& call : unfinished_) slice(call, std::max(end, *call.entry_wall_ns));
  unfinished_.clear();
  JsonLine other;
  other.key("ts_origin_ns").value(std::to_string(origin_));
  other.key("ts_origin").value(origin_ ? iso8601_utc(origin_) : std::string("boot"));
  std::string tail = other.finish();
  tail.pop_back();  // the newline JsonLine ends with
  out_ << "],\"displayTimeUnit\":\"ns\",\"otherData\":" << tail << "}\n";
  out_.flush();
}

}  // namespace etrace::decode
