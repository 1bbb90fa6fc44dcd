#include "capture/capture_writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <linux/types.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "capture/host_facts.h"
#include "format/records.h"

namespace etrace::capture {

namespace {

// A frame is flushed at this size, or after kFrameMaxAgeNs, whichever first:
// large enough for zstd to find the repetition, small enough that a killed
// capture loses at most a second of records.
constexpr size_t kFrameBytes = 4u << 20;
// With a size limit or rotation, frames hold at most that many raw bytes
// (but never fewer than this), so files end close to the size asked for.
constexpr size_t kMinFrameBytes = 64u << 10;
constexpr uint64_t kFrameMaxAgeNs = 1'000'000'000;
// Batches waiting for the writer; past this the reader waits, the ring
// buffer fills, and the kernel counts what it drops.
constexpr size_t kQueueDepth = 16;

size_t frame_bytes_for(const WriterLimits& limits) {
  uint64_t n = kFrameBytes;
  for (uint64_t limit : {limits.max_bytes, limits.rotate_bytes})
    if (limit) n = std::min<uint64_t>(n, std::max<uint64_t>(limit, kMinFrameBytes));
  return static_cast<size_t>(n);
}

}  // namespace

std::string rotated_name(const std::string& base, uint64_t index) { return base + "." + std::to_string(index); }

CaptureWriter::CaptureWriter(int fd, std::string name, WriterLimits limits)
    : limits_(std::move(limits)), frame_bytes_(frame_bytes_for(limits_)), out_(fd, name), name_(std::move(name)) {
  batch_ = new_batch();
  writer_ = std::thread([this] { write_loop(); });
}

CaptureWriter::~CaptureWriter() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  ready_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (owned_fd_ >= 0) close(owned_fd_);
}

bool CaptureWriter::write_head() {
  return out_.write_file_header() && out_.write_block(format::BlockType::kHost, host_) &&
         out_.write_block(format::BlockType::kCapture, info_) &&
         out_.write_compressed_block(format::BlockType::kSyscallTable, table_) &&
         out_.write_compressed_block(format::BlockType::kTracepointFormats, formats_) &&
         out_.write_block(format::BlockType::kCopyPlans, plans_) &&
         (btf_.empty() || out_.write_compressed_block(format::BlockType::kBtf, btf_)) &&
         (libraries_.empty() || out_.write_compressed_block(format::BlockType::kLibraries, libraries_));
}

void CaptureWriter::publish() {
  std::lock_guard lock(mu_);
  bytes_written_ = bytes_closed_ + out_.bytes_written();
  if (error_.empty()) error_ = out_.error();
}

bool CaptureWriter::write_metadata(const CaptureMetadata& m) {
  // Runs before the first record: the writer thread has nothing to write yet.
  host_ = format::to_block_body(m.host);
  info_ = format::to_block_body(m.info);
  table_ = format::to_block_body(m.table);
  formats_ = format::to_block_body(m.formats);
  plans_ = format::to_block_body(m.plans);
  btf_ = m.btf;
  if (!m.libraries.functions.empty()) libraries_ = format::to_block_body(m.libraries);
  bool ok = write_head();
  publish();
  return ok;
}

CaptureWriter::Batch CaptureWriter::new_batch() const {
  Batch b;
  b.bytes.reserve(frame_bytes_ + 65536);
  b.counts.assign(ETRACE_MAX_SYSCALLS + 1, 0);
  return b;
}

void CaptureWriter::add_record(std::span<const uint8_t> record) {
  etrace_header h;
  if (record.size() < sizeof(h) || event_limit_reached()) return;
  std::memcpy(&h, record.data(), sizeof(h));
  if ((h.type == ETRACE_REC_LIB_ENTER || h.type == ETRACE_REC_LIB_EXIT) &&
      record.size() >= sizeof(h) + sizeof(uint32_t)) {
    uint32_t func;
    std::memcpy(&func, record.data() + sizeof(h), sizeof(func));
    if (func >= batch_.function_counts.size()) batch_.function_counts.resize(func + 1);
    ++batch_.function_counts[func];
  } else {
    ++batch_.counts[std::min<uint32_t>(h.nr, ETRACE_MAX_SYSCALLS)];  // ETRACE_NR_UNKNOWN: a process record
  }
  if (batch_.records == 0) batch_started_ns_ = monotonic_ns();
  batch_.bytes.insert(batch_.bytes.end(), record.begin(), record.end());
  ++batch_.records;
  ++records_taken_;
  if (batch_.bytes.size() >= frame_bytes_) hand_over();
}

void CaptureWriter::flush_if_due(uint64_t now_ns) {
  if (batch_.records > 0 && now_ns - batch_started_ns_ >= kFrameMaxAgeNs) hand_over();
}

void CaptureWriter::hand_over() {
  if (batch_.records == 0) return;
  std::unique_lock lock(mu_);
  room_.wait(lock, [this] { return queue_.size() < kQueueDepth || !error_.empty(); });
  if (error_.empty()) queue_.push_back(std::move(batch_));
  lock.unlock();
  ready_.notify_one();
  batch_ = new_batch();
}

// The trailer of the current file: its own written counts, the loss as given.
format::CaptureStats CaptureWriter::file_stats(const format::CaptureStats& stats) const {
  format::CaptureStats trailer = stats;
  trailer.syscalls.clear();
  for (const auto& [nr, n] : file_by_syscall_) trailer.syscalls[nr].written = n;
  for (const auto& [nr, c] : stats.syscalls) trailer.syscalls[nr].lost = c.lost;
  trailer.functions.clear();
  for (const auto& [index, n] : file_by_function_) trailer.functions[index].written = n;
  for (const auto& [index, c] : stats.functions) trailer.functions[index].lost = c.lost;
  trailer.process_records.written = file_process_;
  return trailer;
}

bool CaptureWriter::rotate() {
  format::CaptureStats stats;
  if (loss_source_) loss_source_(stats);
  auto trailer = file_stats(stats);
  trailer.end_ns = monotonic_ns();
  trailer.stop_reason = "rotated";
  if (!out_.write_block(format::BlockType::kStats, format::to_block_body(trailer))) return false;

  uint64_t index;
  {
    std::lock_guard lock(mu_);
    index = ++file_index_;
  }
  const std::string name = rotated_name(limits_.rotate_base, index);
  const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::lock_guard lock(mu_);
    error_ = "cannot create " + name + ": " + std::strerror(errno);
    return false;
  }
  bytes_closed_ += out_.bytes_written();
  if (owned_fd_ >= 0) close(owned_fd_);
  owned_fd_ = fd;
  out_ = format::BlockWriter(fd, name);
  file_by_syscall_.clear();
  file_by_function_.clear();
  file_process_ = 0;
  file_has_events_ = false;
  {
    std::lock_guard lock(mu_);
    name_ = name;
  }
  if (limits_.rotate_count && index >= limits_.rotate_count) {
    const uint64_t oldest = index - limits_.rotate_count;
    unlink(rotated_name(limits_.rotate_base, oldest).c_str());
    std::lock_guard lock(mu_);
    first_kept_ = oldest + 1;
  }
  return write_head();
}

void CaptureWriter::write_loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    ready_.wait(lock, [this] { return closing_ || !queue_.empty(); });
    if (queue_.empty()) return;  // closing, and nothing left
    Batch b = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    room_.notify_one();
    // Past --max-size nothing more is written.
    if (size_limit_reached_) {
      lock.lock();
      continue;
    }
    // Rotation, compression and the write run unlocked: the reader never waits on the disk.
    bool ok = true;
    if (limits_.rotate_bytes && file_has_events_ && out_.bytes_written() >= limits_.rotate_bytes) ok = rotate();
    if (ok) {
      auto body = compressor_.frame(b.bytes, b.records);
      ok = out_.write_block(format::BlockType::kEvents, body);
    }
    if (ok) {
      file_has_events_ = true;
      for (uint32_t nr = 0; nr < ETRACE_MAX_SYSCALLS; ++nr)
        if (b.counts[nr]) {
          file_by_syscall_[nr] += b.counts[nr];
          total_by_syscall_[nr] += b.counts[nr];
        }
      file_process_ += b.counts[ETRACE_MAX_SYSCALLS];
      total_process_ += b.counts[ETRACE_MAX_SYSCALLS];
      for (uint32_t i = 0; i < b.function_counts.size(); ++i)
        if (b.function_counts[i]) {
          file_by_function_[i] += b.function_counts[i];
          total_by_function_[i] += b.function_counts[i];
        }
      if (limits_.max_bytes && out_.bytes_written() >= limits_.max_bytes) size_limit_reached_ = true;
    }
    publish();
    lock.lock();
    if (ok) raw_written_ += b.bytes.size();
    if (!ok) {
      room_.notify_all();
      return;
    }
  }
}

bool CaptureWriter::finish(format::CaptureStats stats) {
  hand_over();
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  ready_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (!error().empty()) return false;
  auto trailer = file_stats(stats);
  bool ok = out_.write_block(format::BlockType::kStats, format::to_block_body(trailer));
  publish();
  return ok;
}

uint64_t CaptureWriter::bytes_written() const {
  std::lock_guard lock(mu_);
  return bytes_written_;
}

uint64_t CaptureWriter::raw_bytes_written() const {
  std::lock_guard lock(mu_);
  return raw_written_;
}

uint64_t CaptureWriter::files() const {
  std::lock_guard lock(mu_);
  return file_index_ + 1;
}

uint64_t CaptureWriter::first_kept() const {
  std::lock_guard lock(mu_);
  return first_kept_;
}

std::string CaptureWriter::current_name() const {
  std::lock_guard lock(mu_);
  return name_;
}

std::string CaptureWriter::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

}  // namespace etrace::capture
