// JSON Lines: one object per call (when it completes, or is left
// unfinished) and one per process event, with each thread's process
// context on a line of its own. The schema is in decode/JSON.md and
// decode/schema/events.schema.json.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <unordered_map>

#include "decode/render/json_writer.h"
#include "decode/render/output.h"

namespace etrace::decode {

// Where the process context of an event's thread goes.
enum class ContextPlacement {
  kLines,   // a "context" line before the thread's first event and when it changes; events name it by ctx_id
  kInline,  // a "ctx" object in every event
  kNone,    // nowhere
};

class JsonRenderer : public Output {
 public:
  explicit JsonRenderer(std::ostream& out, ContextPlacement contexts = ContextPlacement::kLines)
      : out_(out), contexts_(contexts) {}

  void call(const DecodedCall& call) override;
  void process(const DecodedProcessEvent& event) override;
  void signal(const DecodedSignal& signal) override;
  void loss(const DecodedLoss& loss) override;
  void flush() override { out_.flush(); }
  void finish() override { out_.flush(); }

 private:
  // Writes the thread's context line first when it is new to the output.
  void put_context(JsonLine& j, ThreadKey thread, const ContextRef& context);

  std::ostream& out_;
  const ContextPlacement contexts_;
  // What each thread's events last said of its context.
  struct Shown {
    ContextRef context;
    std::string json;
    uint64_t id = 0;
  };
  std::unordered_map<ThreadKey, Shown, ThreadKeyHash> shown_;
  uint64_t last_id_ = 0;
};

}  // namespace etrace::decode
