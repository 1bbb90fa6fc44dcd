// Decoded values as JSON, shared by the JSON Lines and trace-event
// renderers. Every value has the one JSON shape its kind has, whatever it
// holds (decode/JSON.md, "One type per path"): integers as numbers, or as
// decimal strings when 64 bits wide; addresses as hex strings; symbolic
// constants and descriptors as {"value", "text"}; strings, buffers,
// structs and arrays as themselves; memory without contents as null. What
// cannot be said in place (a string or array the capture cut, memory it
// could not read) is listed apart, in the line's "partial".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "decode/render/json_writer.h"
#include "decode/values/decoded_event.h"
#include "decode/values/value.h"

namespace etrace::decode {

// Where in the line the value being written is, as a JSON Pointer
// ("/args/argv"), and the notes of "partial" gathered on the way.
class PartialValues {
 public:
  // Enters member `key` (or array index) of what is being written; leave() returns.
  void enter(std::string_view key);
  void leave();
  // The value being written is a string or buffer of `length` bytes, held in part.
  void cut(uint64_t length);
  // The array or struct being written has elements or members left out.
  void more();
  // The value being written is memory the capture could not read.
  void unreadable(uint64_t address);

  // "partial": [...], when anything was noted.
  void put(JsonLine& j) const;

 private:
  void add(JsonLine& note);

  std::string at_;
  std::vector<size_t> marks_;      // at_'s length before each enter()
  std::vector<std::string> notes_;  // each a JSON object
};

void put_value(JsonLine& j, const Value& value, PartialValues& partial);
// A call's arguments as an object keyed by name ("/args/..."), or null
// when its entry was not captured.
void put_arguments(JsonLine& j, const std::optional<std::vector<NamedValue>>& args, PartialValues& partial);
// "ret", "errno", "ret_path" and "ret_annotation"; "ret" and "errno" null
// for a call that did not return; a library call's "ret" as its prototype
// types it (null for void), without "errno".
void put_result(JsonLine& j, const std::optional<ReturnValue>& ret, PartialValues& partial);

// "fork", "exec", "exit", "thread_exit".
const char* process_event_name(ProcessEventKind kind);
// What a process event adds to its pid and tid: the child's ids for a fork,
// the old tid for an exec, the status for an exit.
void put_process_details(JsonLine& j, const DecodedProcessEvent& event);

// "delivered", "ignored", "fatal".
const char* signal_kind_name(SignalKind kind);
// What a signal line says besides its time and thread: "signal", "signo",
// "action", the handler and flags or the sender, and "siginfo".
void put_signal_details(JsonLine& j, const DecodedSignal& signal);

}  // namespace etrace::decode
