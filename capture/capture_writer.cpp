#include "capture/capture_writer.h"

#include <bpf/libbpf.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/types.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "capture/host_facts.h"
#include "capture/loss_record.h"
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

// Bytes a block with a body of `n` bytes takes in the file.
uint64_t framed(uint64_t n) { return sizeof(format::BlockHeader) + format::padded(n) + format::kBlockTrailerSize; }

// The most the blocks that close a file can take: loss records for a gap on
// every CPU, then the statistics trailer with every count at its widest.
uint64_t closing_bytes(const CaptureMetadata& m) {
  const int possible = libbpf_num_possible_cpus();
  const uint32_t cpus = std::max<uint32_t>({m.host.cpus, possible > 0 ? static_cast<uint32_t>(possible) : 0u, 1u});
  format::CaptureStats widest;
  constexpr uint64_t kWide = UINT64_MAX;
  const format::SyscallCounts counts{kWide, kWide};
  widest.end_ns = kWide;
  widest.stop_reason = std::string(64, 'x');
  for (const auto& [nr, name] : m.table.names) widest.syscalls[nr] = counts;
  for (uint32_t i = 0; i < m.libraries.functions.size(); ++i) widest.functions[i] = counts;
  widest.process_records = counts;
  for (uint32_t cpu = 0; cpu < cpus; ++cpu) widest.cpus[cpu] = format::CpuLoss{kWide, kWide, kWide};
  widest.hook_misses = kWide;
  widest.command_status = INT_MIN;
  // The two totals overflow here, and may print narrower than they can be.
  const uint64_t trailer = framed(format::to_block_body(widest).size() + 2 * 20);
  const uint64_t gaps = framed(sizeof(format::EventsHeader) + ZSTD_compressBound(cpus * sizeof(etrace_loss_record)));
  return trailer + gaps;
}

// A rotated file, created and already in place.
Result<common::PrivateFile> place_rotated(const std::string& name) {
  auto file = common::PrivateFile::create(name, common::PrivateFile::Target::kDerived);
  if (!file) return file.error();
  if (auto committed = file->commit(); !committed) return committed.error();
  return file;
}

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
  if (out_.out_of_space()) disk_full_ = true;
}

Result<void> CaptureWriter::write_metadata(const CaptureMetadata& m) {
  // Runs before the first record: the writer thread has nothing to write yet.
  host_ = format::to_block_body(m.host);
  info_ = format::to_block_body(m.info);
  table_ = format::to_block_body(m.table);
  formats_ = format::to_block_body(m.formats);
  plans_ = format::to_block_body(m.plans);
  btf_ = m.btf;
  if (!m.libraries.functions.empty()) libraries_ = format::to_block_body(m.libraries);
  reserve_bytes_ = closing_bytes(m);
  out_.reserve_tail(reserve_bytes_);
  const uint64_t before = out_.bytes_written();
  const bool ok = write_head();
  head_bytes_ = out_.bytes_written() - before;
  publish();
  if (!ok) return Error{error()};
  return {};
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
  if (h.cpu >= batch_.last_ts.size()) {
    batch_.last_ts.resize(h.cpu + 1u);
    batch_.marked.resize(h.cpu + 1u);
  }
  batch_.last_ts[h.cpu] = std::max<uint64_t>(batch_.last_ts[h.cpu], h.ts_ns);
  if (h.type == ETRACE_REC_LOSS && record.size() >= sizeof(etrace_loss_record)) {
    uint64_t count;
    std::memcpy(&count, record.data() + offsetof(etrace_loss_record, count), sizeof(count));
    batch_.marked[h.cpu] += count;
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
  uint64_t index;
  {
    std::lock_guard lock(mu_);
    index = file_index_ + 1;
  }
  const std::string name = rotated_name(limits_.rotate_base, index);
  auto placed = place_rotated(name);
  if (!placed) {
    std::lock_guard lock(mu_);
    error_ = placed.error().message;
    return false;
  }
  std::optional<common::PrivateFile> next = std::move(*placed);
  const uint64_t first_kept = remove_oldest(index);
  // Room for the new file's head and its closing blocks, before this file
  // is closed: without it, this file ends the capture.
  format::BlockWriter next_out(next->fd(), name);
  next_out.reserve_tail(reserve_bytes_);
  if (!next_out.allocate_ahead(head_bytes_)) {
    next.reset();
    unlink(name.c_str());
    std::lock_guard lock(mu_);
    error_ = next_out.error();
    disk_full_ = next_out.out_of_space();
    return false;
  }
  if (!write_rotated_trailer()) return false;
  bytes_closed_ += out_.bytes_written();
  out_ = std::move(next_out);
  if (rotated_) rotated_.reset();
  else if (close_first_) close_first_();
  rotated_ = std::move(next);
  file_by_syscall_.clear();
  file_by_function_.clear();
  file_process_ = 0;
  file_has_events_ = false;
  {
    std::lock_guard lock(mu_);
    file_index_ = index;
    name_ = name;
    if (first_kept) first_kept_ = first_kept;
  }
  return write_head();
}

uint64_t CaptureWriter::remove_oldest(uint64_t index) {
  if (!limits_.rotate_count || index < limits_.rotate_count) return 0;
  const uint64_t first_kept = index - limits_.rotate_count + 1;
  unlink(rotated_name(limits_.rotate_base, first_kept - 1).c_str());
  return first_kept;
}

bool CaptureWriter::write_rotated_trailer() {
  format::CaptureStats stats;
  if (loss_source_) loss_source_(stats);
  auto trailer = file_stats(stats);
  trailer.end_ns = monotonic_ns();
  trailer.stop_reason = "rotated";
  if (!out_.write_reserved_block(format::BlockType::kStats, {}, format::to_block_body(trailer))) return false;
  out_.release_reserve();
  return true;
}

void CaptureWriter::count_written(const Batch& b) {
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
  if (b.last_ts.size() > last_ts_by_cpu_.size()) {
    last_ts_by_cpu_.resize(b.last_ts.size());
    marked_by_cpu_.resize(b.last_ts.size());
  }
  for (size_t cpu = 0; cpu < b.last_ts.size(); ++cpu) {
    last_ts_by_cpu_[cpu] = std::max(last_ts_by_cpu_[cpu], b.last_ts[cpu]);
    marked_by_cpu_[cpu] += b.marked[cpu];
  }
}

void CaptureWriter::cut(uint64_t now_ns) {
  cut_ns_ = now_ns;
  cut_losses_ = {};
  if (loss_source_) loss_source_(cut_losses_);
  std::lock_guard lock(mu_);
  disk_full_ = true;
}

std::vector<uint8_t> CaptureWriter::unmarked_gaps(const format::CaptureStats& kernel, uint64_t now_ns,
                                                  uint32_t& count) const {
  std::vector<uint8_t> out;
  count = 0;
  for (const auto& [cpu, loss] : kernel.cpus) {
    const uint64_t marked = cpu < marked_by_cpu_.size() ? marked_by_cpu_[cpu] : 0;
    if (loss.lost <= marked) continue;
    // Every loss on a CPU before its last written record is marked before
    // that record: the rest came after it.
    const uint64_t after = cpu < last_ts_by_cpu_.size() ? last_ts_by_cpu_[cpu] : 0;
    const uint64_t first = std::max(loss.first_ns, after);
    const auto record = loss_record(cpu, {loss.lost - marked, first, std::max(loss.last_ns, first)}, now_ns);
    out.insert(out.end(), record.begin(), record.end());
    ++count;
  }
  return out;
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
      count_written(b);
      if (limits_.max_bytes && out_.bytes_written() >= limits_.max_bytes) size_limit_reached_ = true;
    } else if (out_.out_of_space() || disk_full()) {
      cut(monotonic_ns());
    }
    publish();
    lock.lock();
    if (ok) {
      raw_written_ += b.bytes.size();
      records_written_ += b.records;
    }
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
  // A file a write failed in (not for room) takes nothing more.
  if (out_.failed() && !out_.out_of_space()) return false;
  format::CaptureStats trailer;
  if (disk_full()) {
    // The file ends at its last whole frame: its trailer says what the
    // kernel had lost by then, and loss records mark what no record did.
    format::CaptureStats at_cut = cut_losses_;
    at_cut.command_status = stats.command_status;
    trailer = file_stats(at_cut);
    trailer.end_ns = cut_ns_;
    trailer.stop_reason = "disk full";
    uint32_t count = 0;
    const auto gaps = unmarked_gaps(cut_losses_, cut_ns_, count);
    if (count && !out_.write_reserved_block(format::BlockType::kEvents, {}, compressor_.frame(gaps, count))) {
      publish();
      return false;
    }
  } else {
    trailer = file_stats(stats);
  }
  const bool ok = out_.write_reserved_block(format::BlockType::kStats, {}, format::to_block_body(trailer));
  out_.release_reserve();
  publish();
  return ok;
}

uint64_t CaptureWriter::records_written() const {
  std::lock_guard lock(mu_);
  return records_written_;
}

bool CaptureWriter::disk_full() const {
  std::lock_guard lock(mu_);
  return disk_full_;
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
