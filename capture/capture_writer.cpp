#include "capture/capture_writer.h"

#include <linux/types.h>

#include <cstring>

#include "capture/host_facts.h"
#include "format/records.h"

namespace etrace::capture {

namespace {

// A frame is flushed at this size, or after kFrameMaxAgeNs, whichever first:
// large enough for zstd to find the repetition, small enough that a killed
// capture loses at most a second of records.
constexpr size_t kFrameBytes = 4u << 20;
constexpr uint64_t kFrameMaxAgeNs = 1'000'000'000;
// Batches waiting for the writer; past this the reader waits, the ring
// buffer fills, and the kernel counts what it drops.
constexpr size_t kQueueDepth = 16;

}  // namespace

CaptureWriter::CaptureWriter(int fd, std::string name) : out_(fd, std::move(name)) {
  batch_.bytes.reserve(kFrameBytes + 65536);
  writer_ = std::thread([this] { write_loop(); });
}

CaptureWriter::~CaptureWriter() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  ready_.notify_all();
  if (writer_.joinable()) writer_.join();
}

bool CaptureWriter::write_metadata(const format::HostInfo& host, const format::CaptureInfo& info,
                                   const format::SyscallTable& table, const format::TracepointFormats& formats) {
  // Runs before the first record: the writer thread has nothing to write yet.
  bool ok = out_.write_file_header() && out_.write_block(format::BlockType::kHost, format::to_block_body(host)) &&
         out_.write_block(format::BlockType::kCapture, format::to_block_body(info)) &&
         out_.write_compressed_block(format::BlockType::kSyscallTable, format::to_block_body(table)) &&
         out_.write_compressed_block(format::BlockType::kTracepointFormats, format::to_block_body(formats));
  std::lock_guard lock(mu_);
  bytes_written_ = out_.bytes_written();
  error_ = out_.error();
  return ok;
}

void CaptureWriter::add_record(std::span<const uint8_t> record) {
  etrace_header h;
  if (record.size() < sizeof(h)) return;
  std::memcpy(&h, record.data(), sizeof(h));
  if (h.nr == ETRACE_NR_UNKNOWN)
    ++written_process_;
  else
    ++written_by_syscall_[h.nr];
  if (batch_.records == 0) batch_started_ns_ = monotonic_ns();
  batch_.bytes.insert(batch_.bytes.end(), record.begin(), record.end());
  ++batch_.records;
  if (batch_.bytes.size() >= kFrameBytes) hand_over();
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
  batch_ = Batch{};
  batch_.bytes.reserve(kFrameBytes + 65536);
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
    // Compression and the write run unlocked: the reader never waits on the disk.
    auto body = compressor_.frame(b.bytes, b.records);
    bool ok = out_.write_block(format::BlockType::kEvents, body);
    lock.lock();
    bytes_written_ = out_.bytes_written();
    if (!ok) {
      error_ = out_.error();
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
  if (!error_.empty()) return false;
  bool ok = out_.write_block(format::BlockType::kStats, format::to_block_body(stats));
  std::lock_guard lock(mu_);
  bytes_written_ = out_.bytes_written();
  error_ = out_.error();
  return ok;
}

uint64_t CaptureWriter::bytes_written() const {
  std::lock_guard lock(mu_);
  return bytes_written_;
}

std::string CaptureWriter::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

}  // namespace etrace::capture
