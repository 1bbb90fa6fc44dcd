#include "capture/status_line.h"

#include <cstdio>

namespace etrace::capture {

void StatusLine::update(const Tracer& tracer, const CaptureWriter& writer, uint64_t now_ns) {
  if (!shown_) return;
  if (last_ns_ == 0) {
    last_ns_ = now_ns;
    return;
  }
  if (now_ns - last_ns_ < 1'000'000'000) return;
  const uint64_t records = writer.records_taken();
  const double rate = static_cast<double>(records - last_records_) * 1e9 / static_cast<double>(now_ns - last_ns_);
  last_ns_ = now_ns;
  last_records_ = records;
  const uint64_t lost = tracer.losses().total();
  const uint64_t bytes = writer.bytes_written();
  const uint64_t raw = writer.raw_bytes_written();
  char line[160];
  std::snprintf(line, sizeof(line), "%.0f records/s, %llu lost, %.1f MiB written, compression %.1fx", rate,
                static_cast<unsigned long long>(lost), static_cast<double>(bytes) / (1 << 20),
                bytes ? static_cast<double>(raw) / static_cast<double>(bytes) : 0.0);
  std::fprintf(stderr, "\r\033[K%s", line);
  std::fflush(stderr);
  printed_ = true;
}

void StatusLine::clear() {
  if (printed_) std::fprintf(stderr, "\r\033[K");
  printed_ = false;
}

}  // namespace etrace::capture
