#include "decode/json_renderer.h"

#include <algorithm>
#include <cstdio>

#include "decode/json_writer.h"
#include "decode/signal_names.h"
#include "decode/string_quote.h"
#include "decode/time_format.h"

namespace etrace::decode {
namespace {

// Strings are JSON strings while whole; what the capture cut becomes an
// object saying so. Buffers are binary, so their bytes are escaped to
// survive JSON's UTF-8 intact. -s never applies: JSON is for machines.
void put_bytes(JsonLine& j, const Bytes& b) {
  const bool truncated = b.capture_cut || b.data.size() < b.full_length;
  const uint64_t length = std::max<uint64_t>(b.full_length, b.data.size());
  if (b.style == Bytes::Style::kBuffer) {
    std::string data;
    append_hex_escaped(data, b.data);
    j.begin_object();
    j.key("data").value(data);
    j.key("len").value(length);
    j.key("truncated").value(truncated);
    j.end_object();
  } else if (truncated) {
    j.begin_object();
    j.key("str").value(b.data);
    j.key("len").value(length);
    j.key("truncated").value(true);
    j.end_object();
  } else {
    j.value(b.data);
  }
}

// Integers are JSON numbers; addresses and values of unknown type are hex
// strings, since JSON readers lose precision past 2^53.
void put_value(JsonLine& j, const Value& value) {
  struct Visitor {
    JsonLine& j;
    void operator()(const SignedInt& v) const { j.value(v.value); }
    void operator()(const UnsignedInt& v) const { j.value(v.value); }
    void operator()(const Pointer& v) const { j.value(hex_string(v.address)); }
    void operator()(const RawHex& v) const { j.value(hex_string(v.bits)); }
    void operator()(const Symbolic& v) const {
      j.begin_object();
      j.key("value").value(v.raw);
      j.key("text").value(v.text);
      j.end_object();
    }
    void operator()(const Bytes& v) const { put_bytes(j, v); }
    void operator()(const Unreadable& v) const {
      j.begin_object();
      j.key("unreadable").value(hex_string(v.address));
      j.end_object();
    }
    // Members by name; one without a name under its position ("0", "1"...).
    // "...": true marks left-out members, a key no C member can have.
    void operator()(const Aggregate& v) const {
      j.begin_object();
      for (size_t i = 0; i < v.fields.size(); ++i) {
        const auto& f = v.fields[i];
        j.key(f.name.empty() ? std::to_string(i) : f.name);
        put_value(j, f.value);
      }
      if (v.elided) j.key("...").value(true);
      j.end_object();
    }
    // A plain array; {"items": [...], "more": true} when elements were left out.
    void operator()(const List& v) const {
      if (v.more) j.begin_object().key("items");
      j.begin_array();
      for (const auto& item : v.items) put_value(j, item);
      j.end_array();
      if (v.more) j.key("more").value(true).end_object();
    }
  };
  std::visit(Visitor{j}, value);
}

void put_optional(JsonLine& j, const std::optional<std::string>& s) {
  if (s) j.value(*s);
  else j.null();
}

void put_time(JsonLine& j, int64_t wall_ns) {
  j.key("ts").value(iso8601_utc(wall_ns));
  j.key("ts_ns").value(wall_ns);
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
  j.key("id").value(f.cgroup_id);
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

const char* event_name(ProcessEvent::Kind kind) {
  switch (kind) {
    case ProcessEvent::Kind::kFork: return "fork";
    case ProcessEvent::Kind::kExec: return "exec";
    case ProcessEvent::Kind::kExit: return "exit";
    case ProcessEvent::Kind::kThreadExit: return "thread_exit";
  }
  return "unknown";
}

}  // namespace

// "ctx": who the event's thread was; absent when the capture recorded no
// context for it. A thread's events share one context until it changes,
// so its JSON is written once and reused.
void JsonRenderer::put_context(JsonLine& j, const ContextRef& context) {
  if (!context) return;
  if (context != context_shown_) {
    context_json_ = context_json(*context);
    context_shown_ = context;
  }
  j.key("ctx").raw(context_json_);
}

void JsonRenderer::call(const DecodedCall& call) {
  if (call.phase == CallPhase::kEntered) return;  // reported when it ends
  JsonLine j;
  j.key("kind").value("syscall");
  // The entry's time; the exit's when the entry was not captured.
  std::optional<int64_t> when = call.entry_wall_ns ? call.entry_wall_ns : call.exit_wall_ns;
  put_time(j, when.value_or(0));
  j.key("pid").value(call.pid);
  j.key("tid").value(call.tid);
  j.key("comm");
  put_optional(j, call.comm);
  j.key("syscall").value(call.syscall);
  j.key("nr").value(static_cast<uint32_t>(call.nr));
  j.key("args");
  if (call.args) {
    j.begin_object();
    for (const auto& a : *call.args) {
      j.key(a.name);
      put_value(j, a.value);
    }
    j.end_object();
  } else {
    j.null();
  }
  if (call.ret) {
    j.key("ret").value(call.ret->raw);
    j.key("errno");
    if (call.ret->error) {
      const auto& e = *call.ret->error;
      j.value(e.name.empty() ? std::to_string(e.number) : e.name);
    } else {
      j.null();
    }
    if (call.ret->annotation) {
      j.key("ret_annotation");
      put_value(j, Value(*call.ret->annotation));
    }
  } else {
    j.key("ret").null();
    j.key("errno").null();
  }
  j.key("duration_ns");
  if (call.duration_ns) j.value(*call.duration_ns);
  else j.null();
  if (call.phase == CallPhase::kNoReturn || call.phase == CallPhase::kUnfinished) j.key("unfinished").value(true);
  put_context(j, call.context);
  out_ << j.finish();
}

void JsonRenderer::loss(const DecodedLoss& loss) {
  JsonLine j;
  j.key("kind").value("lost");
  put_time(j, loss.wall_ns);
  j.key("cpu").value(static_cast<uint32_t>(loss.cpu));
  j.key("count").value(loss.count);
  j.key("first_ts_ns").value(loss.first_wall_ns);
  j.key("last_ts_ns").value(loss.last_wall_ns);
  out_ << j.finish();
}

void JsonRenderer::process(const DecodedProcessEvent& event) {
  JsonLine j;
  j.key("kind").value("process");
  j.key("event").value(event_name(event.kind));
  put_time(j, event.wall_ns);
  j.key("pid").value(event.pid);
  j.key("tid").value(event.tid);
  j.key("comm");
  put_optional(j, event.comm);
  switch (event.kind) {
    case ProcessEvent::Kind::kFork:
      j.key("child_pid").value(event.child_pid);
      j.key("child_tid").value(event.child_tid);
      break;
    case ProcessEvent::Kind::kExec:
      j.key("old_tid").value(event.old_tid);
      break;
    case ProcessEvent::Kind::kExit:
    case ProcessEvent::Kind::kThreadExit:
      j.key("status").value(event.status.status);
      if (event.status.signaled()) {
        j.key("signal").value(signal_name(event.status.signal()));
        j.key("core_dumped").value(event.status.core_dumped());
      } else {
        j.key("exit_code").value(event.status.exit_code());
      }
      break;
  }
  put_context(j, event.context);
  out_ << j.finish();
}

}  // namespace etrace::decode
