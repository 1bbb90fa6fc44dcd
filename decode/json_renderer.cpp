#include "decode/json_renderer.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "decode/signal_names.h"
#include "decode/time_format.h"

namespace etrace::decode {
namespace {

using Json = nlohmann::ordered_json;  // keys in the documented order

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// Integers are JSON numbers; addresses and values of unknown type are hex
// strings, since JSON readers lose precision past 2^53.
Json value_json(const Value& value) {
  struct Visitor {
    Json operator()(const SignedInt& v) const { return v.value; }
    Json operator()(const UnsignedInt& v) const { return v.value; }
    Json operator()(const Pointer& v) const { return hex(v.address); }
    Json operator()(const RawHex& v) const { return hex(v.bits); }
  };
  return std::visit(Visitor{}, value);
}

Json optional_string(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }

void put_time(Json& j, int64_t wall_ns) {
  j["ts"] = iso8601_utc(wall_ns);
  j["ts_ns"] = wall_ns;
}

void write_line(std::ostream& out, const Json& j) {
  // comm and host strings are bytes, not always UTF-8: replace, never throw.
  out << j.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
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

void JsonRenderer::call(const DecodedCall& call) {
  if (call.phase == CallPhase::kEntered) return;  // reported when it ends
  Json j;
  j["kind"] = "syscall";
  // The entry's time; the exit's when the entry was not captured.
  std::optional<int64_t> when = call.entry_wall_ns ? call.entry_wall_ns : call.exit_wall_ns;
  put_time(j, when.value_or(0));
  j["pid"] = call.pid;
  j["tid"] = call.tid;
  j["comm"] = optional_string(call.comm);
  j["syscall"] = call.syscall;
  j["nr"] = call.nr;
  if (call.args) {
    Json args = Json::object();
    for (const auto& a : *call.args) args[a.name] = value_json(a.value);
    j["args"] = std::move(args);
  } else {
    j["args"] = nullptr;
  }
  if (call.ret) {
    j["ret"] = call.ret->raw;
    if (call.ret->error) {
      const auto& e = *call.ret->error;
      j["errno"] = e.name.empty() ? std::to_string(e.number) : e.name;
    } else {
      j["errno"] = nullptr;
    }
  } else {
    j["ret"] = nullptr;
    j["errno"] = nullptr;
  }
  j["duration_ns"] = call.duration_ns ? Json(*call.duration_ns) : Json(nullptr);
  if (call.phase == CallPhase::kNoReturn || call.phase == CallPhase::kUnfinished) j["unfinished"] = true;
  write_line(out_, j);
}

void JsonRenderer::process(const DecodedProcessEvent& event) {
  Json j;
  j["kind"] = "process";
  j["event"] = event_name(event.kind);
  put_time(j, event.wall_ns);
  j["pid"] = event.pid;
  j["tid"] = event.tid;
  j["comm"] = optional_string(event.comm);
  switch (event.kind) {
    case ProcessEvent::Kind::kFork:
      j["child_pid"] = event.child_pid;
      j["child_tid"] = event.child_tid;
      break;
    case ProcessEvent::Kind::kExec:
      j["old_tid"] = event.old_tid;
      break;
    case ProcessEvent::Kind::kExit:
    case ProcessEvent::Kind::kThreadExit:
      j["status"] = event.status.status;
      if (event.status.signaled()) {
        j["signal"] = signal_name(event.status.signal());
        j["core_dumped"] = event.status.core_dumped();
      } else {
        j["exit_code"] = event.status.exit_code();
      }
      break;
  }
  write_line(out_, j);
}

}  // namespace etrace::decode
