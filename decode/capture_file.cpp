#include "decode/capture_file.h"

namespace etrace::decode {

using format::Block;
using format::BlockType;

CaptureFile::CaptureFile(std::istream& in) : reader_(in) {}

std::optional<Error> CaptureFile::open() {
  if (auto err = reader_.open()) return Error{*err};
  // Metadata precedes events; read up to the first events block so names
  // and formats are known before the first record is decoded.
  while (!done_) {
    std::optional<Block> block = reader_.next();
    if (!block) {
      stop_reading();
      metadata_complete_ = end_ == End::kClean;
      break;
    }
    if (block->type == BlockType::kEvents) {
      early_events_.push_back(std::move(*block));
      metadata_complete_ = true;
      break;
    }
    if (!take(std::move(*block))) break;
  }
  return std::nullopt;
}

void CaptureFile::stop_reading() {
  done_ = true;
  switch (reader_.end()) {
    case format::ReadEnd::kNotYet:
    case format::ReadEnd::kClean:
      end_ = End::kClean;
      break;
    case format::ReadEnd::kTruncated:
      end_ = End::kTruncated;
      break;
    case format::ReadEnd::kCorrupt:
      end_ = End::kCorrupt;
      break;
  }
  message_ = reader_.message();
}

bool CaptureFile::take(Block block) {
  std::string error;
  const std::string where = " (block at byte " + std::to_string(block.offset) + ")";
  auto fail = [&] {
    done_ = true;
    end_ = End::kCorrupt;
    message_ = error + where + ": the file is corrupt";
    return false;
  };
  switch (block.type) {
    case BlockType::kHost:
      if (!(host_ = format::host_info_from(block.body, error))) return fail();
      return true;
    case BlockType::kCapture:
      if (!(capture_ = format::capture_info_from(block.body, error))) return fail();
      return true;
    case BlockType::kSyscallTable:
      if (!(syscall_table_ = format::syscall_table_from(block.body, error))) return fail();
      return true;
    case BlockType::kTracepointFormats:
      if (!(formats_ = format::tracepoint_formats_from(block.body, error))) return fail();
      return true;
    case BlockType::kStats:
      if (!(stats_ = format::capture_stats_from(block.body, error))) return fail();
      return true;
    case BlockType::kCopyPlans:
      if (!(copy_plans_ = format::copy_plans_from(block.body, error))) return fail();
      return true;
    case BlockType::kBtf:
      btf_ = std::move(block.body);
      return true;
    case BlockType::kLibraries:
      if (!(libraries_ = format::library_table_from(block.body, error))) return fail();
      return true;
    case BlockType::kEvents: {
      auto frame = format::open_frame(block.body, error);
      if (!frame) return fail();
      frame_ = std::move(*frame);
      cursor_.emplace(frame_.records);
      frame_offset_ = block.offset;
      return true;
    }
  }
  ++skipped_blocks_;  // a block type from a newer writer
  return true;
}

bool CaptureFile::load_next_frame() {
  cursor_.reset();
  while (!done_ || !early_events_.empty()) {
    std::optional<Block> block;
    if (!early_events_.empty()) {
      block = std::move(early_events_.front());
      early_events_.pop_front();
    } else {
      if (before_block_read_) before_block_read_();
      block = reader_.next();
      if (!block) {
        stop_reading();
        return false;
      }
    }
    const bool is_events = block->type == BlockType::kEvents;
    if (!take(std::move(*block))) return false;
    if (is_events) return true;
  }
  return false;
}

std::optional<format::RecordView> CaptureFile::next_record() {
  for (;;) {
    if (cursor_) {
      if (auto rec = cursor_->next()) return rec;
      if (!cursor_->error().empty()) {
        done_ = true;
        early_events_.clear();
        end_ = End::kCorrupt;
        message_ = cursor_->error() + " (events block at byte " + std::to_string(frame_offset_) +
                   "): the file is corrupt";
        cursor_.reset();
        return std::nullopt;
      }
    }
    if (!load_next_frame()) return std::nullopt;
  }
}

}  // namespace etrace::decode
