#include "format/block_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace etrace::format {

BlockWriter::BlockWriter(int fd, std::string name) : fd_(fd), name_(std::move(name)) {
  struct stat st;
  regular_ = fd_ >= 0 && fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  if (regular_) {
    const off_t at = lseek(fd_, 0, SEEK_CUR);
    if (at < 0) regular_ = false;
    else start_ = static_cast<uint64_t>(at);
  }
}

void BlockWriter::set_error(int err) {
  if (err == ENOSPC || err == EDQUOT) {
    out_of_space_ = true;
    error_ = err == ENOSPC ? "the disk holding " + name_ + " is full" : "the disk quota for " + name_ + " is used up";
  } else {
    error_ = "cannot write " + name_ + ": " + std::strerror(err);
  }
}

void BlockWriter::mirror(const uint8_t* data, size_t size) {
  while (mirror_fd_ >= 0 && size > 0) {
    ssize_t n = ::write(mirror_fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      mirror_fd_ = -1;  // the viewer is gone; the file goes on
      return;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

bool BlockWriter::write_all(const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  for (size_t left = size; left > 0;) {
    ssize_t n = ::write(fd_, p + (size - left), left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      set_error(errno);
      return false;
    }
    left -= static_cast<size_t>(n);
    bytes_written_ += static_cast<uint64_t>(n);
  }
  mirror(p, size);  // only what the file took whole
  return true;
}

bool BlockWriter::reserve_tail(uint64_t bytes) {
  if (!regular_ || bytes == 0) return false;
  reserve_ = bytes;
  if (!allocate_ahead(0)) return false;  // a full disk already
  return reserve_ > 0;                   // 0: this file system cannot allocate ahead
}

bool BlockWriter::allocate_ahead(uint64_t bytes) {
  if (reserve_ == 0) return true;
  const auto offset = static_cast<off_t>(start_ + bytes_written_);
  if (fallocate(fd_, FALLOC_FL_KEEP_SIZE, offset, static_cast<off_t>(bytes + reserve_)) == 0) {
    reserved_ = true;
    return true;
  }
  const int err = errno;
  if (err == ENOSPC || err == EDQUOT) {
    set_error(err);
    return false;
  }
  // This file system cannot allocate ahead: a full disk is then found by
  // write(), and the block it cut is cut off again (put()).
  reserve_ = 0;
  reserved_ = false;
  return true;
}

bool BlockWriter::put(const std::string& bytes, bool reserved) {
  if (reserved ? failed() && !out_of_space_ : failed()) return false;
  if (!reserved && !allocate_ahead(bytes.size())) return false;
  const uint64_t before = bytes_written_;
  // Into room already allocated (past it, when the reserve was too small:
  // then the disk decides): the reserve shrinks by what it takes.
  if (reserved) reserve_ = reserve_ > bytes.size() ? reserve_ - bytes.size() : 0;
  if (write_all(bytes.data(), bytes.size())) return true;
  if (regular_ && bytes_written_ != before) {
    // Cut off the part of the block the disk took: the file ends at its last whole block.
    const auto end = static_cast<off_t>(start_ + before);
    if (ftruncate(fd_, end) == 0 && lseek(fd_, end, SEEK_SET) == end) bytes_written_ = before;
  }
  return false;
}

void BlockWriter::release_reserve() {
  if (!reserved_) return;
  const auto end = static_cast<off_t>(start_ + bytes_written_);
  // The reserve lies past the end of the file: punch it out (ftruncate to
  // the same size does not free it on every file system).
  if (fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, end, static_cast<off_t>(reserve_) + (1 << 20)) != 0)
    (void)!ftruncate(fd_, end);
  reserved_ = false;
  reserve_ = 0;
}

bool BlockWriter::write_file_header() {
  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof(kMagic));
  h.byte_order = kByteOrderMark;
  h.major = kMajorVersion;
  h.minor = kMinorVersion;
  h.header_size = sizeof(FileHeader);
  return put(std::string(reinterpret_cast<const char*>(&h), sizeof(h)), false);
}

bool BlockWriter::write_block(BlockType type, std::span<const uint8_t> body) {
  return write_block(type, {}, body);
}

bool BlockWriter::write_block(BlockType type, std::span<const uint8_t> head, std::span<const uint8_t> body) {
  return write_framed(type, 0, head, body);
}

bool BlockWriter::write_reserved_block(BlockType type, std::span<const uint8_t> head, std::span<const uint8_t> body) {
  return write_framed(type, 0, head, body, true);
}

bool BlockWriter::write_compressed_block(BlockType type, std::span<const uint8_t> body) {
  std::vector<uint8_t> z(ZSTD_compressBound(body.size()));
  size_t n = ZSTD_compress(z.data(), z.size(), body.data(), body.size(), 9);
  if (ZSTD_isError(n)) return write_framed(type, 0, {}, body);
  return write_framed(type, kBlockZstd, {}, std::span<const uint8_t>(z.data(), n));
}

bool BlockWriter::write_framed(BlockType type, uint32_t flags, std::span<const uint8_t> head,
                               std::span<const uint8_t> body, bool reserved) {
  const uint64_t size = head.size() + body.size();
  if (size > kMaxBlockBody) {
    error_ = "internal error: a block of " + std::to_string(size) + " bytes is over the format's limit";
    return false;
  }
  // One write per block: a block is then either wholly on disk or absent.
  static constexpr uint8_t zeros[kBlockAlign] = {};
  BlockHeader bh{static_cast<uint32_t>(type), flags, size};
  std::string buf;
  buf.reserve(sizeof(bh) + padded(size) + kBlockTrailerSize);
  buf.append(reinterpret_cast<const char*>(&bh), sizeof(bh));
  buf.append(reinterpret_cast<const char*>(head.data()), head.size());
  buf.append(reinterpret_cast<const char*>(body.data()), body.size());
  buf.append(reinterpret_cast<const char*>(zeros), padded(size) - size);
  buf.append(reinterpret_cast<const char*>(&size), sizeof(size));
  return put(buf, reserved);
}

}  // namespace etrace::format
