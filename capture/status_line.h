// The one-line status etrace-capture shows on a terminal about once a
// second: records/s, records lost, bytes written, compression ratio.
#pragma once

#include <cstdint>

#include "capture/capture_writer.h"
#include "capture/tracer.h"

namespace etrace::capture {

class StatusLine {
 public:
  explicit StatusLine(bool shown) : shown_(shown) {}

  void update(const Tracer& tracer, const CaptureWriter& writer, uint64_t now_ns);
  // Clears the line, before anything else is printed.
  void clear();

 private:
  bool shown_;
  bool printed_ = false;
  uint64_t last_ns_ = 0;
  uint64_t last_records_ = 0;
};

}  // namespace etrace::capture
