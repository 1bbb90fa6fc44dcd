// Decoded values as JSON, shared by the JSON Lines and trace-event
// renderers: integers as numbers, addresses as hex strings, symbolic
// constants as {"value", "text"}, strings, buffers, structs and arrays as
// decode/JSON.md describes them.
#pragma once

#include <optional>
#include <vector>

#include "decode/render/json_writer.h"
#include "decode/values/decoded_event.h"
#include "decode/values/value.h"

namespace etrace::decode {

void put_value(JsonLine& j, const Value& value);
// A call's arguments as an object keyed by name, or null when its entry
// was not captured.
void put_arguments(JsonLine& j, const std::optional<std::vector<NamedValue>>& args);
// "ret", "errno" and, when text adds a note after the result, "ret_annotation";
// "ret" and "errno" null for a call that did not return; a library call's
// "ret" as its prototype types it (null for void), without "errno".
void put_result(JsonLine& j, const std::optional<ReturnValue>& ret);

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
