#include "decode/input/capture_file.h"

namespace etrace::decode {

using format::Block;
using format::BlockType;

CaptureFile::CaptureFile(std::istream& in) : reader_(in) {}

Result<void> CaptureFile::open() {
  if (auto opened = reader_.open(); !opened) return opened;
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
  return {};
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
  if (!repeated_frames_ || end_ == End::kCorrupt) return;
  const std::string repeats = repeated_frames_ == 1 ? "the events block " + first_repeat_ + ", and was skipped"
                                                     : std::to_string(repeated_frames_) +
                                                           " events blocks repeat earlier ones (the first " +
                                                           first_repeat_ + "), and were skipped";
  message_ = repeats + (end_ == End::kTruncated ? "; " + message_ : "") + ": the file is corrupt";
  end_ = End::kDamaged;
}

namespace {

// A metadata block's value into `slot`, which a damaged block leaves empty.
template <typename T>
Result<void> store(Result<T> parsed, std::optional<T>& slot) {
  slot.reset();
  if (!parsed) return parsed.error();
  slot = std::move(*parsed);
  return {};
}

}  // namespace

bool CaptureFile::take(Block block) {
  Result<void> taken;
  switch (block.type) {
    case BlockType::kHost: taken = store(format::host_info_from(block.body), host_); break;
    case BlockType::kCapture: taken = store(format::capture_info_from(block.body), capture_); break;
    case BlockType::kSyscallTable: taken = store(format::syscall_table_from(block.body), syscall_table_); break;
    case BlockType::kTracepointFormats: taken = store(format::tracepoint_formats_from(block.body), formats_); break;
    case BlockType::kStats: taken = store(format::capture_stats_from(block.body), stats_); break;
    case BlockType::kCopyPlans: taken = store(format::copy_plans_from(block.body), copy_plans_); break;
    case BlockType::kLibraries: taken = store(format::library_table_from(block.body), libraries_); break;
    case BlockType::kBtf:
      if (block.body.empty()) taken = Error{"the BTF block is empty"};
      btf_ = std::move(block.body);
      break;
    case BlockType::kEvents: taken = take_frame(block); break;
    default: ++skipped_blocks_;  // a block type from a newer writer
  }
  if (taken) return true;
  done_ = true;
  end_ = End::kCorrupt;
  message_ = taken.error().message + " (block at byte " + std::to_string(block.offset) + "): the file is corrupt";
  return false;
}

bool CaptureFile::repeats_earlier_frame(const Block& block) {
  const std::string_view bytes(reinterpret_cast<const char*>(block.body.data()), block.body.size());
  const uint64_t key = std::hash<std::string_view>{}(bytes) ^ (bytes.size() * 0x9e3779b97f4a7c15ull);
  const auto [seen, added] = frames_seen_.try_emplace(key, block.offset);
  if (added) return false;
  if (repeated_frames_++ == 0)
    first_repeat_ = "at byte " + std::to_string(block.offset) + " repeats the one at byte " + std::to_string(seen->second);
  return true;
}

Result<void> CaptureFile::take_frame(const Block& block) {
  if (repeats_earlier_frame(block)) return {};
  auto frame = format::open_frame(block.body);
  if (!frame) return frame.error();
  frame_ = std::move(*frame);
  cursor_.emplace(frame_.records);
  frame_offset_ = block.offset;
  return {};
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
