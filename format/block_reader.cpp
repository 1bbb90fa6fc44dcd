#include "format/block_reader.h"

#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace etrace::format {

BlockReader::BlockReader(std::istream& in) : in_(in) {}

size_t BlockReader::read_up_to(void* dst, size_t size) {
  in_.read(static_cast<char*>(dst), static_cast<std::streamsize>(size));
  auto n = static_cast<size_t>(in_.gcount());
  offset_ += n;
  return n;
}

void BlockReader::stop(ReadEnd end, std::string message) {
  end_ = end;
  message_ = std::move(message);
}

Result<void> BlockReader::open() {
  FileHeader h{};
  size_t n = read_up_to(&h, sizeof(h));
  if (n == 0) return Error{"the capture is empty (its writer stopped before writing the file header)"};
  // A file cut inside the magic is still a capture if what is there matches.
  if (std::memcmp(h.magic, kMagic, std::min(n, sizeof(kMagic))) != 0)
    return Error{"not an etrace capture (the file does not start with etrace's magic number)"};
  if (n < sizeof(h)) return Error{"the capture ends inside its file header (" + std::to_string(n) + " bytes)"};
  if (h.byte_order != kByteOrderMark)
    return Error{"the capture was written in another byte order, which this etrace cannot read"};
  if (h.major > kMajorVersion)
    return Error{"the capture uses format version " + std::to_string(h.major) + "." + std::to_string(h.minor) +
                 ", newer than this etrace-decode understands (" + std::to_string(kMajorVersion) + "." +
                 std::to_string(kMinorVersion) + "); use a newer etrace-decode"};
  if (h.major < 1) return Error{"the capture declares format version 0, which never existed"};
  if (h.header_size < sizeof(h) || h.header_size > 4096)
    return Error{"the capture's file header declares an impossible size (" + std::to_string(h.header_size) + " bytes)"};
  // Newer minor versions may extend the header: skip what we do not know.
  for (uint32_t left = h.header_size - sizeof(h); left > 0;) {
    char skip[256];
    size_t want = left < sizeof(skip) ? left : sizeof(skip);
    if (read_up_to(skip, want) != want) return Error{"the capture ends inside its file header"};
    left -= static_cast<uint32_t>(want);
  }
  header_ = h;
  return {};
}

std::optional<Block> BlockReader::next() {
  // A block with flag bits this reader does not know is encoded in a way it
  // cannot read: it is skipped, like a block of unknown type.
  for (;;) {
    uint32_t flags = 0;
    auto block = read_block(flags);
    if (!block || (flags & ~kKnownBlockFlags) == 0) return block;
  }
}

std::optional<Block> BlockReader::read_block(uint32_t& flags) {
  if (end_ != ReadEnd::kNotYet) return std::nullopt;
  const uint64_t start = offset_;
  BlockHeader bh{};
  size_t n = read_up_to(&bh, sizeof(bh));
  if (n == 0) {
    stop(ReadEnd::kClean, "");
    return std::nullopt;
  }
  const std::string where = " at byte " + std::to_string(start);
  if (n >= sizeof(kMagic) && std::memcmp(&bh, kMagic, sizeof(kMagic)) == 0) {
    stop(ReadEnd::kCorrupt, "a second capture starts" + where + " (captures concatenated? decode each alone: the "
                            "second is what tail -c +" + std::to_string(start + 1) + " prints of this file)");
    return std::nullopt;
  }
  // No writer uses type 0: zeros where a block should start are what a
  // crash leaves when the file's size got to the disk and its data did not.
  if (std::all_of(reinterpret_cast<const uint8_t*>(&bh), reinterpret_cast<const uint8_t*>(&bh) + n,
                  [](uint8_t b) { return b == 0; })) {
    stop(ReadEnd::kCorrupt, "the capture holds zeros from byte " + std::to_string(start) +
                                " where a block should start (zero-filled after a crash?): the file is corrupt");
    return std::nullopt;
  }
  if (n < sizeof(bh)) {
    stop(ReadEnd::kTruncated, "the capture ends inside a block header" + where);
    return std::nullopt;
  }
  if (bh.body_size > kMaxBlockBody) {
    stop(ReadEnd::kCorrupt, "a block declares " + std::to_string(bh.body_size) + " bytes" + where +
                                ", more than any block can hold: the file is corrupt");
    return std::nullopt;
  }
  if (bh.type == 0) {
    stop(ReadEnd::kCorrupt, "a block" + where + " has type 0, which no writer uses: the file is corrupt");
    return std::nullopt;
  }
  flags = bh.flags;
  Block block{static_cast<BlockType>(bh.type), start, {}};
  if (!read_body(block, bh.body_size, where)) return std::nullopt;
  if ((bh.flags & kBlockZstd) && !inflate(block, where)) return std::nullopt;
  return block;
}

bool BlockReader::read_body(Block& block, uint64_t body_size, const std::string& where) {
  // Grow the buffer as bytes arrive, so a lying length cannot make us
  // allocate a gigabyte for a file of a few bytes.
  const uint64_t want = padded(body_size) + kBlockTrailerSize;
  uint64_t got = 0;
  while (got < want) {
    size_t chunk = static_cast<size_t>(std::min<uint64_t>(want - got, 1 << 20));
    block.body.resize(got + chunk);
    size_t r = read_up_to(block.body.data() + got, chunk);
    got += r;
    if (r < chunk) {
      stop(ReadEnd::kTruncated, "the capture ends inside a block" + where + " (" + std::to_string(got) + " of " +
                                    std::to_string(want) + " bytes)");
      return false;
    }
  }
  uint64_t trailer;
  std::memcpy(&trailer, block.body.data() + want - kBlockTrailerSize, sizeof(trailer));
  if (trailer != body_size) {
    stop(ReadEnd::kCorrupt, "a block's length trailer does not match its header" + where + ": the file is corrupt");
    return false;
  }
  block.body.resize(body_size);
  return true;
}

bool BlockReader::inflate(Block& block, const std::string& where) {
  unsigned long long inflated = ZSTD_getFrameContentSize(block.body.data(), block.body.size());
  // A zstd block (3-byte header) inflates to at most 128 KiB: a frame that
  // claims more than its size allows is refused before allocating for it.
  const uint64_t bound = (block.body.size() / 3 + 1) * (uint64_t{128} << 10);
  if (inflated == ZSTD_CONTENTSIZE_ERROR || inflated == ZSTD_CONTENTSIZE_UNKNOWN || inflated > kMaxInflatedBody ||
      inflated > bound) {
    stop(ReadEnd::kCorrupt, "a compressed block" + where + " has no valid zstd frame: the file is corrupt");
    return false;
  }
  std::vector<uint8_t> out(inflated);
  size_t r = ZSTD_decompress(out.data(), out.size(), block.body.data(), block.body.size());
  if (ZSTD_isError(r) || r != inflated) {
    stop(ReadEnd::kCorrupt, "a compressed block" + where + " does not decompress: the file is corrupt");
    return false;
  }
  block.body = std::move(out);
  return true;
}

}  // namespace etrace::format
