// Writes a capture file: the file header, then framed blocks, to a file
// descriptor. Every write is checked; the first failure is kept as a sentence
// for people (a full disk says so) and later writes are refused, so what was
// already written stays a readable prefix.
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

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  bool write_framed(BlockType type, uint32_t flags, std::span<const uint8_t> head, std::span<const uint8_t> body);
  bool write_all(const void* data, size_t size);

  int fd_;
  std::string name_;
  std::string error_;
  uint64_t bytes_written_ = 0;
};

}  // namespace etrace::format
