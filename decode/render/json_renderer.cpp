#include "decode/render/json_renderer.h"

#include "decode/render/json_values.h"
#include "decode/render/json_writer.h"
#include "decode/render/time_format.h"

namespace etrace::decode {
namespace {

void put_optional(JsonLine& j, const std::optional<std::string>& s) {
  if (s) j.value(*s);
  else j.null();
}

// The host, when captures of several hosts are decoded as one.
void put_host(JsonLine& j, HostRef host) {
  if (host) j.key("host").value(*host);
}

void put_time(JsonLine& j, int64_t wall_ns) {
  char ts[kIso8601Size];
  j.key("ts").value(std::string_view(ts, format_iso8601_utc(wall_ns, ts)));
  j.key("ts_ns").digits(wall_ns);
}

// When, and in which thread: what process events and signals begin with.
void put_thread_event(JsonLine& j, const ThreadEvent& event) {
  put_time(j, event.wall_ns);
  put_host(j, event.host);
  j.key("pid").value(event.pid);
  j.key("tid").value(event.tid);
  j.key("comm");
  put_optional(j, event.comm);
}

// A context as a JSON object (decode/JSON.md, ctx).
std::string context_json(const ProcessContext& context) {
  const format::ContextFacts& f = context.facts;
  JsonLine j;
  j.key("pid").value(f.pid);
  j.key("tid").value(f.tid);
  j.key("ppid").value(f.ppid);
  j.key("comm").value(f.comm);
  j.key("exe");
  put_optional(j, f.exe);
  j.key("creds").begin_object();
  for (const auto& cred : kCredentialFields) j.key(cred.name).value(f.*cred.id);
  j.key("cap_effective").value(hex_string(f.cap_effective));
  j.end_object();
  j.key("cgroup").begin_object();
  j.key("id").digits(f.cgroup_id);
  j.key("path");
  put_optional(j, f.cgroup_path);
  if (f.cgroup_path_cut) j.key("path_truncated").value(true);
  j.key("container");
  put_optional(j, context.container);
  j.end_object();
  j.key("ns").begin_object();
  for (size_t i = 0; i < f.ns.size(); ++i) j.key(format::kNamespaceNames[i]).value(f.ns[i]);
  j.end_object();
  std::string out = j.finish();
  out.pop_back();  // the line's newline
  return out;
}

}  // namespace

// Who the event's thread was; nothing when the capture recorded no context
// for it. As a line of its own, written once per thread and again when it
// changes: repeated in every event, it was half the bytes of a decode.
void JsonRenderer::put_context(JsonLine& j, ThreadKey thread, const ContextRef& context) {
  if (!context || contexts_ == ContextPlacement::kNone) return;
  Shown& shown = shown_[thread];
  if (context != shown.context) {
    std::string json = context_json(*context);
    shown.context = context;
    if (json != shown.json) {
      shown.json = std::move(json);
      shown.id = 0;
    }
  }
  if (contexts_ == ContextPlacement::kInline) {
    j.key("ctx").raw(shown.json);
    return;
  }
  if (shown.id == 0) {
    shown.id = ++last_id_;
    JsonLine line;
    line.key("kind").value("context");
    line.key("ctx_id").value(shown.id);
    put_host(line, thread.host);
    // The context's own members follow, from after its opening brace.
    line.raw(std::string_view(shown.json).substr(1, shown.json.size() - 2));
    out_ << line.finish();
  }
  j.key("ctx_id").value(shown.id);
}

void JsonRenderer::call(const DecodedCall& call) {
  if (call.phase == CallPhase::kEntered) return;  // reported when it ends
  JsonLine j;
  j.key("kind").value(call.library ? "libcall" : "syscall");
  // The entry's time; the exit's when the entry was not captured.
  std::optional<int64_t> when = call.entry_wall_ns ? call.entry_wall_ns : call.exit_wall_ns;
  put_time(j, when.value_or(0));
  put_host(j, call.host);
  j.key("pid").value(call.pid);
  j.key("tid").value(call.tid);
  j.key("comm");
  put_optional(j, call.comm);
  if (call.library) {
    j.key("function").value(call.syscall);
    j.key("library").value(*call.library);
  } else {
    j.key("syscall").value(call.syscall);
    j.key("nr").value(static_cast<uint32_t>(call.nr));
  }
  PartialValues partial;
  put_arguments(j, call.args, partial);
  put_result(j, call.ret, partial);
  j.key("duration_ns");
  if (call.duration_ns) j.digits(*call.duration_ns);
  else j.null();
  if (call.phase == CallPhase::kNoReturn || call.phase == CallPhase::kUnfinished) j.key("unfinished").value(true);
  partial.put(j);
  put_context(j, thread_of(call), call.context);
  out_ << j.finish();
}

void JsonRenderer::loss(const DecodedLoss& loss) {
  JsonLine j;
  j.key("kind").value("lost");
  put_time(j, loss.wall_ns);
  put_host(j, loss.host);
  j.key("cpu").value(static_cast<uint32_t>(loss.cpu));
  j.key("count").value(loss.count);
  j.key("first_ts_ns").digits(loss.first_wall_ns);
  j.key("last_ts_ns").digits(loss.last_wall_ns);
  out_ << j.finish();
}

void JsonRenderer::process(const DecodedProcessEvent& event) {
  JsonLine j;
  j.key("kind").value("process");
  j.key("event").value(process_event_name(event.kind));
  put_thread_event(j, event);
  put_process_details(j, event);
  put_context(j, thread_of(event), event.context);
  out_ << j.finish();
}

void JsonRenderer::signal(const DecodedSignal& signal) {
  JsonLine j;
  j.key("kind").value("signal");
  put_thread_event(j, signal);
  put_signal_details(j, signal);
  put_context(j, thread_of(signal), signal.context);
  out_ << j.finish();
}

}  // namespace etrace::decode
