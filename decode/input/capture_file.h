// A capture file as a reader sees it: metadata (host, capture settings,
// syscall table, tracepoint formats, the statistics trailer) and the records
// of its event blocks in file order. Reads from a stream, so a capture can
// be decoded from a pipe while it is being written. Unknown block types
// (from newer writers) are skipped.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/result.h"
#include "format/block_reader.h"
#include "format/event_frame.h"
#include "format/metadata.h"

namespace etrace::decode {

class CaptureFile {
 public:
  enum class End {
    kClean,      // the file ended after a complete block
    kTruncated,  // the writer was interrupted: everything before was decoded
    kCorrupt,    // the file is damaged: decoding stopped there
    kDamaged,    // read to its end, but blocks that repeat earlier ones were skipped
  };

  explicit CaptureFile(std::istream& in);

  // Reads the file header, then the metadata blocks before the first events
  // block. An error means this is not a capture this decoder can read.
  Result<void> open();

  // True unless the file ended (or broke) before its first events block:
  // only then does a missing metadata block mean the writer omitted it.
  bool metadata_complete() const { return metadata_complete_; }

  const std::optional<format::HostInfo>& host() const { return host_; }
  const std::optional<format::CaptureInfo>& capture() const { return capture_; }
  const std::optional<format::SyscallTable>& syscall_table() const { return syscall_table_; }
  const std::optional<format::TracepointFormats>& formats() const { return formats_; }
  // What was copied per syscall, and the capturing kernel's raw BTF (empty
  // when the capture left it out); both absent in files before format 1.1.
  const std::optional<format::CopyPlans>& copy_plans() const { return copy_plans_; }
  const std::vector<uint8_t>& btf() const { return btf_; }
  // The traced library functions; absent unless the capture traced some (1.2).
  const std::optional<format::LibraryTable>& libraries() const { return libraries_; }
  // The trailer is the last block: known once next_record() returned nullopt.
  const std::optional<format::CaptureStats>& stats() const { return stats_; }

  // The next record in file order, valid until the next call; nullopt once
  // the input ends or is damaged (see end() and message()).
  std::optional<format::RecordView> next_record();

  // Called before each read of a further block, which may block on a pipe:
  // lets the decoder flush its output so a live capture is seen promptly.
  void before_block_read(std::function<void()> hook) { before_block_read_ = std::move(hook); }

  End end() const { return end_; }
  // Why reading stopped, for people; empty after a clean end.
  const std::string& message() const { return message_; }
  uint64_t skipped_blocks() const { return skipped_blocks_; }

 private:
  // Takes a block's content; false when it is damaged (end_ is then set).
  bool take(format::Block block);
  Result<void> take_frame(const format::Block& block);
  // True when the events block repeats an earlier one (which no writer
  // does: every record is written once); noted, to be skipped.
  bool repeats_earlier_frame(const format::Block& block);
  // Reads blocks until one holds records or the input ends.
  bool load_next_frame();
  void stop_reading();

  format::BlockReader reader_;
  std::optional<format::HostInfo> host_;
  std::optional<format::CaptureInfo> capture_;
  std::optional<format::SyscallTable> syscall_table_;
  std::optional<format::TracepointFormats> formats_;
  std::optional<format::CopyPlans> copy_plans_;
  std::vector<uint8_t> btf_;
  std::optional<format::LibraryTable> libraries_;
  std::optional<format::CaptureStats> stats_;

  std::deque<format::Block> early_events_;  // read by open() while looking for metadata
  format::Frame frame_;
  std::optional<format::RecordCursor> cursor_;
  uint64_t frame_offset_ = 0;
  bool done_ = false;
  bool metadata_complete_ = false;
  End end_ = End::kClean;
  std::string message_;
  uint64_t skipped_blocks_ = 0;
  // Events blocks seen, by a hash of their bytes and their size: where each is.
  std::unordered_map<uint64_t, uint64_t> frames_seen_;
  uint64_t repeated_frames_ = 0;
  std::string first_repeat_;
  std::function<void()> before_block_read_;
};

}  // namespace etrace::decode
