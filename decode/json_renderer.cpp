#include "decode/json_renderer.h"

#include "decode/json_values.h"
#include "decode/json_writer.h"
#include "decode/time_format.h"

namespace etrace::decode {
namespace {

void put_optional(JsonLine& j, const std::optional<std::string>& s) {
  if (s) j.value(*s);
  else j.null();
}

void put_time(JsonLine& j, int64_t wall_ns) {
  j.key("ts").value(iso8601_utc(wall_ns));
  j.key("ts_ns").value(wall_ns);
}

}  // namespace

void JsonRenderer::call(const DecodedCall& call) {
  if (call.phase == CallPhase::kEntered) return;  // reported when it ends
  JsonLine j;
  j.key("kind").value(call.library ? "libcall" : "syscall");
  // The entry's time; the exit's when the entry was not captured.
  std::optional<int64_t> when = call.entry_wall_ns ? call.entry_wall_ns : call.exit_wall_ns;
  put_time(j, when.value_or(0));
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
  j.key("args");
  put_arguments(j, call.args);
  put_result(j, call.ret);
  j.key("duration_ns");
  if (call.duration_ns) j.value(*call.duration_ns);
  else j.null();
  if (call.phase == CallPhase::kNoReturn || call.phase == CallPhase::kUnfinished) j.key("unfinished").value(true);
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
  j.key("event").value(process_event_name(event.kind));
  put_time(j, event.wall_ns);
  j.key("pid").value(event.pid);
  j.key("tid").value(event.tid);
  j.key("comm");
  put_optional(j, event.comm);
  put_process_details(j, event);
  out_ << j.finish();
}

}  // namespace etrace::decode
