// The interface every renderer (text, JSON, statistics) implements.
// Events arrive in decoding order; a renderer decides what to print.
#pragma once

#include "decode/values/decoded_event.h"

namespace etrace::decode {

class Output {
 public:
  virtual ~Output() = default;
  virtual void call(const DecodedCall& call) = 0;
  virtual void process(const DecodedProcessEvent& event) = 0;
  virtual void signal(const DecodedSignal& signal) = 0;
  virtual void loss(const DecodedLoss& loss) = 0;
  // Pushes out what is buffered (the input may pause for a while).
  virtual void flush() {}
  // End of input. Called once, after the last event.
  virtual void finish() {}
};

}  // namespace etrace::decode
