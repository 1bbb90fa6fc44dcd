// Writes a capture file: the file header, then framed blocks, to a file
// descriptor. Every write is checked; the first failure is kept as a sentence
// for people (a full disk says so) and later writes are refused, so what was
// already written stays a readable prefix.
//
// A full disk never leaves half a block: with reserve_tail(), each block's
// room on the disk, and a reserve past it, is allocated before the block is
// written (a block that does not fit is not begun), and the reserve then
// takes the blocks that close the file (write_reserved_block). Where space
// cannot be allocated ahead, a block cut by a full disk is cut off again,
// so the file ends at its last whole block.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "format/file_layout.h"

namespace etrace::format {

class BlockWriter {
 public:
  // `name` is how errors refer to the destination ("capture.raw", "standard output").
  BlockWriter(int fd, std::string name);

  bool write_file_header();
  bool write_block(BlockType type, std::span<const uint8_t> body);
  bool write_block(BlockType type, std::span<const uint8_t> head, std::span<const uint8_t> body);
  // Writes the body as one zstd frame, flagged kBlockZstd.
  bool write_compressed_block(BlockType type, std::span<const uint8_t> body);

  // Keeps `bytes` allocated on the disk past the end of what is written
  // (the file's size unchanged): every later write first allocates its own
  // room and this much more, and fails as a full disk, writing nothing,
  // when it cannot. For a regular file at its end, on a file system that
  // allocates ahead (fallocate); otherwise it does nothing and returns false.
  bool reserve_tail(uint64_t bytes);
  // Allocates room for `bytes` more (and the reserve past them) now; false
  // on a full disk, as a write would.
  bool allocate_ahead(uint64_t bytes);
  // A block that goes into the reserve: written even after the disk was
  // found full (nothing else is), up to the size reserved.
  bool write_reserved_block(BlockType type, std::span<const uint8_t> head, std::span<const uint8_t> body);
  // Frees what is left of the reserve: the file takes no more room than it holds.
  void release_reserve();
  // Every whole write to the file is also written to `fd` (a pipe to a live
  // decoder), until a write there fails; -1 stops it.
  void mirror_to(int fd) { mirror_fd_ = fd; }

  bool failed() const { return !error_.empty(); }
  // The disk (or the user's quota) was full: the file ends at its last whole block.
  bool out_of_space() const { return out_of_space_; }
  const std::string& error() const { return error_; }
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  bool write_framed(BlockType type, uint32_t flags, std::span<const uint8_t> head, std::span<const uint8_t> body,
                    bool reserved = false);
  // Writes `bytes` whole, or (a full disk) nothing of them in the end.
  bool put(const std::string& bytes, bool reserved);
  bool write_all(const void* data, size_t size);
  void mirror(const uint8_t* data, size_t size);
  void set_error(int err);

  int fd_;
  std::string name_;
  std::string error_;
  uint64_t bytes_written_ = 0;
  bool out_of_space_ = false;
  bool regular_ = false;      // a regular file: it can be cut back
  uint64_t start_ = 0;        // file offset of this writer's first byte
  uint64_t reserve_ = 0;      // bytes kept allocated past the end
  bool reserved_ = false;     // reserve_ is allocated past bytes_written_
  int mirror_fd_ = -1;
};

}  // namespace etrace::format
