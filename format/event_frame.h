// Event blocks: raw ring-buffer records batched into independent zstd frames,
// and a bounds-checked cursor over the records of a decompressed frame.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "format/file_layout.h"

namespace etrace::format {

// Compresses frames; keeps one zstd context for the whole capture.
class FrameCompressor {
 public:
  explicit FrameCompressor(int level = 3);
  ~FrameCompressor();
  FrameCompressor(const FrameCompressor&) = delete;
  FrameCompressor& operator=(const FrameCompressor&) = delete;

  // Returns the whole kEvents body: an EventsHeader, then the zstd frame.
  std::vector<uint8_t> frame(std::span<const uint8_t> records, uint32_t record_count);

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
  int level_;
};

struct Frame {
  uint32_t record_count;
  std::vector<uint8_t> records;
};

// Decompresses a kEvents body, or says why it cannot.
Result<Frame> open_frame(std::span<const uint8_t> body);

// One record as stored: its common header fields and all of its bytes.
struct RecordView {
  uint16_t type;
  std::span<const uint8_t> bytes;  // header included; size() >= 24
};

class RecordCursor {
 public:
  explicit RecordCursor(std::span<const uint8_t> records) : rest_(records) {}
  // The next record, or nullopt at the end of the frame or at a malformed
  // record (then error() says what was wrong).
  std::optional<RecordView> next();
  const std::string& error() const { return error_; }

 private:
  std::span<const uint8_t> rest_;
  uint64_t offset_ = 0;
  std::string error_;
};

}  // namespace etrace::format
