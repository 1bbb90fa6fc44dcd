#include "format/block_writer.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>
#include <zstd.h>

#include <vector>

namespace etrace::format {

BlockWriter::BlockWriter(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

bool BlockWriter::write_all(const void* data, size_t size) {
  if (failed()) return false;
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error_ = errno == ENOSPC ? "the disk holding " + name_ + " is full"
                               : "cannot write " + name_ + ": " + std::strerror(errno);
      return false;
    }
    p += n;
    size -= static_cast<size_t>(n);
    bytes_written_ += static_cast<uint64_t>(n);
  }
  return true;
}

bool BlockWriter::write_file_header() {
  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof(kMagic));
  h.byte_order = kByteOrderMark;
  h.major = kMajorVersion;
  h.minor = kMinorVersion;
  h.header_size = sizeof(FileHeader);
  return write_all(&h, sizeof(h));
}

bool BlockWriter::write_block(BlockType type, std::span<const uint8_t> body) {
  return write_block(type, {}, body);
}

bool BlockWriter::write_block(BlockType type, std::span<const uint8_t> head, std::span<const uint8_t> body) {
  return write_framed(type, 0, head, body);
}

bool BlockWriter::write_compressed_block(BlockType type, std::span<const uint8_t> body) {
  std::vector<uint8_t> z(ZSTD_compressBound(body.size()));
  size_t n = ZSTD_compress(z.data(), z.size(), body.data(), body.size(), 9);
  if (ZSTD_isError(n)) return write_framed(type, 0, {}, body);
  return write_framed(type, kBlockZstd, {}, std::span<const uint8_t>(z.data(), n));
}

bool BlockWriter::write_framed(BlockType type, uint32_t flags, std::span<const uint8_t> head,
                               std::span<const uint8_t> body) {
  const uint64_t size = head.size() + body.size();
  if (size > kMaxBlockBody) {
    error_ = "internal error: a block of " + std::to_string(size) + " bytes is over the format's limit";
    return false;
  }
  // One write per block: a block is then either wholly on disk or absent,
  // except when the disk fills in the middle, which the reader detects.
  static constexpr uint8_t zeros[kBlockAlign] = {};
  BlockHeader bh{static_cast<uint32_t>(type), flags, size};
  std::string buf;
  buf.reserve(sizeof(bh) + padded(size) + kBlockTrailerSize);
  buf.append(reinterpret_cast<const char*>(&bh), sizeof(bh));
  buf.append(reinterpret_cast<const char*>(head.data()), head.size());
  buf.append(reinterpret_cast<const char*>(body.data()), body.size());
  buf.append(reinterpret_cast<const char*>(zeros), padded(size) - size);
  buf.append(reinterpret_cast<const char*>(&size), sizeof(size));
  return write_all(buf.data(), buf.size());
}

}  // namespace etrace::format
