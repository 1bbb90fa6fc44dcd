// Reads a capture file block by block from a stream (a file or a pipe), so
// a capture can be decoded while it is still being written. Every length
// read from the input is checked before it is used. A file that ends early
// yields its complete blocks, then says where and why it stopped.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "format/file_layout.h"

namespace etrace::format {

struct Block {
  BlockType type;
  uint64_t offset;  // of the block header in the file
  std::vector<uint8_t> body;
};

enum class ReadEnd {
  kNotYet,     // blocks remain
  kClean,      // the input ended exactly after a block
  kTruncated,  // the input ended inside a block: the writer was interrupted
  kCorrupt,    // a block's framing is inconsistent
};

class BlockReader {
 public:
  explicit BlockReader(std::istream& in);

  // Reads and checks the file header: an error when the input is not a
  // capture this version can read.
  Result<void> open();

  // The next block, or nullopt once the input ends (see end() and message()).
  std::optional<Block> next();

  const FileHeader& header() const { return header_; }
  ReadEnd end() const { return end_; }
  // Why reading stopped, for people; empty after a clean end.
  const std::string& message() const { return message_; }

 private:
  std::optional<Block> read_block(uint32_t& flags);
  // The body and its length trailer; false, having stopped, when they are not whole.
  bool read_body(Block& block, uint64_t body_size, const std::string& where);
  // A zstd block's body inflated in place; false, having stopped, when it is corrupt.
  bool inflate(Block& block, const std::string& where);
  size_t read_up_to(void* dst, size_t size);
  void stop(ReadEnd end, std::string message);

  std::istream& in_;
  FileHeader header_{};
  uint64_t offset_ = 0;
  ReadEnd end_ = ReadEnd::kNotYet;
  std::string message_;
};

}  // namespace etrace::format
