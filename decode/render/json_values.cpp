#include "decode/render/json_values.h"

#include <algorithm>

#include "decode/values/signal_names.h"
#include "decode/values/string_quote.h"

namespace etrace::decode {
namespace {

// Strings are JSON strings while whole; what the capture cut becomes an
// object saying so. Buffers are binary, so their bytes are escaped to
// survive JSON's UTF-8 intact. -s never applies: JSON is for machines.
void put_bytes(JsonLine& j, const Bytes& b) {
  const bool truncated = b.capture_cut || b.data.size() < b.full_length;
  const uint64_t length = std::max<uint64_t>(b.full_length, b.data.size());
  if (b.style == Bytes::Style::kBuffer || b.style == Bytes::Style::kHex) {
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

}  // namespace

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
      if (v.unsigned_raw) {
        j.key("value").value(static_cast<uint64_t>(v.raw));
      } else {
        j.key("value").value(v.raw);
      }
      j.key("text").value(v.text);
      j.end_object();
    }
    void operator()(const Bytes& v) const { put_bytes(j, v); }
    void operator()(const Unreadable& v) const {
      j.begin_object();
      j.key("unreadable").value(hex_string(v.address));
      j.end_object();
    }
    void operator()(const Descriptor& v) const {
      j.begin_object();
      j.key("fd").value(v.fd);
      j.key("path").value(v.path);
      if (!v.name.empty()) j.key("text").value(v.name);
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

void put_arguments(JsonLine& j, const std::optional<std::vector<NamedValue>>& args) {
  if (!args) {
    j.null();
    return;
  }
  j.begin_object();
  for (const auto& a : *args) {
    j.key(a.name);
    put_value(j, a.value);
  }
  j.end_object();
}

void put_result(JsonLine& j, const std::optional<ReturnValue>& ret) {
  if (!ret) {
    j.key("ret").null();
    j.key("errno").null();
    return;
  }
  if (ret->value || ret->is_void) {
    // A library call: the result as its prototype types it, and no errno.
    j.key("ret");
    if (ret->value) put_value(j, *ret->value);
    else j.null();
    return;
  }
  j.key("ret").value(ret->raw);
  j.key("errno");
  if (ret->error) {
    const auto& e = *ret->error;
    j.value(e.name.empty() ? std::to_string(e.number) : e.name);
  } else {
    j.null();
  }
  if (ret->fd_path) j.key("ret_path").value(*ret->fd_path);
  if (ret->annotation) {
    j.key("ret_annotation");
    put_value(j, Value(*ret->annotation));
  }
}

const char* process_event_name(ProcessEventKind kind) {
  switch (kind) {
    case ProcessEventKind::kFork: return "fork";
    case ProcessEventKind::kExec: return "exec";
    case ProcessEventKind::kExit: return "exit";
    case ProcessEventKind::kThreadExit: return "thread_exit";
  }
  return "unknown";
}

void put_process_details(JsonLine& j, const DecodedProcessEvent& event) {
  switch (event.kind) {
    case ProcessEventKind::kFork:
      j.key("child_pid").value(event.child_pid);
      j.key("child_tid").value(event.child_tid);
      break;
    case ProcessEventKind::kExec:
      j.key("old_tid").value(event.old_tid);
      break;
    case ProcessEventKind::kExit:
    case ProcessEventKind::kThreadExit:
      j.key("status").value(event.status.status);
      if (event.status.signaled()) {
        j.key("signal").value(signal_name(event.status.signal()));
        j.key("core_dumped").value(event.status.core_dumped());
      } else {
        j.key("exit_code").value(event.status.exit_code());
      }
      break;
  }
}

}  // namespace etrace::decode
