// JSON Lines: one object per call (when it completes, or is left
// unfinished) and one per process event. The schema is in decode/JSON.md.
#pragma once

#include <ostream>
#include <string>

#include "decode/render/json_writer.h"
#include "decode/render/output.h"

namespace etrace::decode {

class JsonRenderer : public Output {
 public:
  explicit JsonRenderer(std::ostream& out) : out_(out) {}

  void call(const DecodedCall& call) override;
  void process(const DecodedProcessEvent& event) override;
  void signal(const DecodedSignal& signal) override;
  void loss(const DecodedLoss& loss) override;
  void flush() override { out_.flush(); }
  void finish() override { out_.flush(); }

 private:
  void put_context(JsonLine& j, const ContextRef& context);

  std::ostream& out_;
  ContextRef context_shown_;  // the context last written, and its JSON
  std::string context_json_;
};

}  // namespace etrace::decode
