#include "format/event_frame.h"

#include <linux/types.h>
#include <zstd.h>

#include <cstring>

#include "format/records.h"

namespace etrace::format {

struct FrameCompressor::Context {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~Context() { ZSTD_freeCCtx(cctx); }
};

FrameCompressor::FrameCompressor(int level) : ctx_(std::make_unique<Context>()), level_(level) {}
FrameCompressor::~FrameCompressor() = default;

std::vector<uint8_t> FrameCompressor::frame(std::span<const uint8_t> records, uint32_t record_count) {
  EventsHeader eh{records.size(), record_count, static_cast<uint32_t>(Compression::kZstd)};
  std::vector<uint8_t> out(sizeof(eh) + ZSTD_compressBound(records.size()));
  std::memcpy(out.data(), &eh, sizeof(eh));
  size_t n = ZSTD_compressCCtx(ctx_->cctx, out.data() + sizeof(eh), out.size() - sizeof(eh), records.data(),
                               records.size(), level_);
  if (ZSTD_isError(n)) {
    // Compression of in-memory bytes only fails for want of memory: store raw.
    eh.compression = static_cast<uint32_t>(Compression::kNone);
    out.resize(sizeof(eh) + records.size());
    std::memcpy(out.data(), &eh, sizeof(eh));
    std::memcpy(out.data() + sizeof(eh), records.data(), records.size());
    return out;
  }
  out.resize(sizeof(eh) + n);
  return out;
}

Result<Frame> open_frame(std::span<const uint8_t> body) {
  EventsHeader eh;
  if (body.size() < sizeof(eh))
    return Error{"an events block is shorter than its header"};
  std::memcpy(&eh, body.data(), sizeof(eh));
  auto payload = body.subspan(sizeof(eh));
  if (eh.raw_size > kMaxFrameRaw)
    return Error{"an events block declares " + std::to_string(eh.raw_size) + " bytes of records, more than any frame holds"};
  // Check the declared size against the payload before allocating it, so a
  // block of a few bytes cannot make us allocate kMaxFrameRaw.
  Frame f{eh.record_count, {}};
  switch (static_cast<Compression>(eh.compression)) {
    case Compression::kNone:
      if (payload.size() != eh.raw_size)
        return Error{"an uncompressed events block's size does not match its header"};
      f.records.assign(payload.begin(), payload.end());
      return f;
    case Compression::kZstd: {
      // Each zstd block has a 3-byte header and inflates to at most 128 KiB,
      // which bounds what a payload of this size can hold.
      const uint64_t bound = (payload.size() / 3 + 1) * (uint64_t{128} << 10);
      unsigned long long content = ZSTD_getFrameContentSize(payload.data(), payload.size());
      if (content == ZSTD_CONTENTSIZE_ERROR)
        return Error{"an events block does not decompress: its payload is not a zstd frame"};
      if ((content != ZSTD_CONTENTSIZE_UNKNOWN && content != eh.raw_size) || eh.raw_size > bound)
        return Error{"an events block does not decompress: its size differs from the header"};
      f.records.resize(eh.raw_size);
      size_t n = ZSTD_decompress(f.records.data(), f.records.size(), payload.data(), payload.size());
      if (ZSTD_isError(n) || n != eh.raw_size)
        return Error{std::string("an events block does not decompress: ") +
                     (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "its size differs from the header")};
      return f;
    }
  }
  return Error{"an events block uses unknown compression " + std::to_string(eh.compression)};
}

std::optional<RecordView> RecordCursor::next() {
  if (rest_.empty() || !error_.empty()) return std::nullopt;
  etrace_header h;
  if (rest_.size() < sizeof(h)) {
    error_ = "a record at offset " + std::to_string(offset_) + " of its frame is cut short";
    return std::nullopt;
  }
  std::memcpy(&h, rest_.data(), sizeof(h));
  if (h.size < sizeof(h) || h.size > rest_.size()) {
    error_ = "a record at offset " + std::to_string(offset_) + " of its frame declares an impossible size (" +
             std::to_string(h.size) + " bytes)";
    return std::nullopt;
  }
  RecordView v{h.type, rest_.first(h.size)};
  rest_ = rest_.subspan(h.size);
  offset_ += h.size;
  return v;
}

}  // namespace etrace::format
