#include "decode/render/json_values.h"

#include <algorithm>

#include "decode/values/signal_names.h"
#include "decode/values/string_quote.h"

namespace etrace::decode {

void PartialValues::enter(std::string_view key) {
  marks_.push_back(at_.size());
  at_ += '/';
  // JSON Pointer (RFC 6901) escapes: "~" is "~0", "/" is "~1".
  for (char c : key) {
    if (c == '~') at_ += "~0";
    else if (c == '/') at_ += "~1";
    else at_ += c;
  }
}

void PartialValues::leave() {
  at_.resize(marks_.back());
  marks_.pop_back();
}

void PartialValues::add(JsonLine& note) {
  std::string text = note.finish();
  text.pop_back();  // the line's newline
  notes_.push_back(std::move(text));
}

void PartialValues::cut(uint64_t length) {
  JsonLine note;
  note.key("at").value(at_);
  note.key("len").digits(length);
  add(note);
}

void PartialValues::more() {
  JsonLine note;
  note.key("at").value(at_);
  note.key("more").value(true);
  add(note);
}

void PartialValues::unreadable(uint64_t address) {
  JsonLine note;
  note.key("at").value(at_);
  note.key("unreadable").value(hex_string(address));
  add(note);
}

void PartialValues::put(JsonLine& j) const {
  if (notes_.empty()) return;
  j.key("partial").begin_array();
  for (const auto& n : notes_) j.raw(n);
  j.end_array();
}

namespace {

// Integers of 32 bits or fewer are numbers; wider ones decimal strings.
// A value of a type of 32 bits or fewer is what the kernel takes from the
// low 32 bits of its register: a wider register value (a symbolic constant
// built from the whole register) is cut to them, so the path stays a number.
void put_integer(JsonLine& j, int64_t v, uint8_t bits) {
  if (bits > 32) j.digits(v);
  else j.value(v < INT32_MIN || v > int64_t{UINT32_MAX} ? int64_t{static_cast<int32_t>(v)} : v);
}

void put_unsigned(JsonLine& j, uint64_t v, uint8_t bits) {
  if (bits > 32) j.digits(v);
  else j.value(v > UINT32_MAX ? uint64_t{static_cast<uint32_t>(v)} : v);
}

// Strings are JSON strings, the bytes the capture holds; buffers are
// binary, so their bytes are escaped to survive JSON's UTF-8 intact, in an
// object that says how long the buffer was. -s never applies: JSON is for
// machines.
void put_bytes(JsonLine& j, const Bytes& b, PartialValues& partial) {
  const bool truncated = b.capture_cut || b.data.size() < b.full_length;
  const uint64_t length = std::max<uint64_t>(b.full_length, b.data.size());
  switch (b.style) {
    case Bytes::Style::kBuffer:
    case Bytes::Style::kHex:
    case Bytes::Style::kInt: {
      std::string data;
      append_hex_escaped(data, b.data);
      j.begin_object();
      j.key("data").value(data);
      j.key("len").digits(length);
      j.key("truncated").value(truncated);
      j.end_object();
      return;
    }
    case Bytes::Style::kAbstractName: j.value("@" + b.data); break;
    case Bytes::Style::kString:
    case Bytes::Style::kPath: j.value(b.data); break;
  }
  if (truncated) partial.cut(length);
}

}  // namespace

void put_value(JsonLine& j, const Value& value, PartialValues& partial) {
  struct Visitor {
    JsonLine& j;
    PartialValues& partial;
    void operator()(const SignedInt& v) const { put_integer(j, v.value, v.bits); }
    void operator()(const UnsignedInt& v) const { put_unsigned(j, v.value, v.bits); }
    void operator()(const Pointer& v) const { j.value(hex_string(v.address)); }
    void operator()(const Unshown&) const { j.null(); }
    void operator()(const RawHex& v) const { j.value(hex_string(v.bits)); }
    void operator()(const Symbolic& v) const {
      j.begin_object();
      j.key("value");
      if (v.unsigned_raw) put_unsigned(j, static_cast<uint64_t>(v.raw), v.bits);
      else put_integer(j, v.raw, v.bits);
      j.key("text").value(v.text);
      j.end_object();
    }
    void operator()(const Bytes& v) const { put_bytes(j, v, partial); }
    void operator()(const Unreadable& v) const {
      j.null();
      partial.unreadable(v.address);
    }
    void operator()(const Descriptor& v) const {
      j.begin_object();
      j.key("value").value(v.fd);
      j.key("text").value(v.name.empty() ? std::to_string(v.fd) : v.name);
      if (!v.path.empty()) j.key("path").value(v.path);
      j.end_object();
    }
    // Members by name; one without a name (BTF padding) by its position.
    void operator()(const Aggregate& v) const {
      j.begin_object();
      for (size_t i = 0; i < v.fields.size(); ++i) {
        const auto& f = v.fields[i];
        const std::string key = f.name.empty() ? std::to_string(i) : f.name;
        j.key(key);
        partial.enter(key);
        put_value(j, f.value, partial);
        partial.leave();
      }
      j.end_object();
      if (v.elided) partial.more();
    }
    void operator()(const List& v) const {
      j.begin_array();
      for (size_t i = 0; i < v.items.size(); ++i) {
        partial.enter(std::to_string(i));
        put_value(j, v.items[i], partial);
        partial.leave();
      }
      j.end_array();
      if (v.more) partial.more();
    }
  };
  std::visit(Visitor{j, partial}, value);
}

void put_arguments(JsonLine& j, const std::optional<std::vector<NamedValue>>& args, PartialValues& partial) {
  j.key("args");
  if (!args) {
    j.null();
    return;
  }
  partial.enter("args");
  j.begin_object();
  for (const auto& a : *args) {
    j.key(a.name);
    partial.enter(a.name);
    put_value(j, a.value, partial);
    partial.leave();
  }
  j.end_object();
  partial.leave();
}

void put_result(JsonLine& j, const std::optional<ReturnValue>& ret, PartialValues& partial) {
  if (!ret) {
    j.key("ret").null();
    j.key("errno").null();
    return;
  }
  if (ret->value || ret->is_void) {
    // A library call: the result as its prototype types it, and no errno.
    j.key("ret");
    partial.enter("ret");
    if (ret->value) put_value(j, *ret->value, partial);
    else j.null();
    partial.leave();
    return;
  }
  j.key("ret").digits(ret->raw);
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
    partial.enter("ret_annotation");
    put_value(j, Value(*ret->annotation), partial);
    partial.leave();
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

const char* signal_kind_name(SignalKind kind) {
  switch (kind) {
    case SignalKind::kDelivered: return "delivered";
    case SignalKind::kIgnored: return "ignored";
    case SignalKind::kFatal: return "fatal";
  }
  return "unknown";
}

void put_signal_details(JsonLine& j, const DecodedSignal& signal) {
  PartialValues partial;
  j.key("signal").value(signal.name);
  j.key("signo").value(static_cast<int64_t>(signal.signo));
  j.key("action").value(signal_kind_name(signal.kind));
  if (signal.handler) {
    j.key("handler");
    partial.enter("handler");
    put_value(j, *signal.handler, partial);
    partial.leave();
  }
  if (signal.sa_flags) {
    j.key("sa_flags");
    partial.enter("sa_flags");
    put_value(j, *signal.sa_flags, partial);
    partial.leave();
  }
  if (signal.sender_pid) j.key("sender_pid").value(*signal.sender_pid);
  if (signal.sender_tid) j.key("sender_tid").value(*signal.sender_tid);
  j.key("siginfo");
  partial.enter("siginfo");
  put_value(j, signal.info, partial);
  partial.leave();
  partial.put(j);
}

}  // namespace etrace::decode
