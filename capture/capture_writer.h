// Turns the stream of ring-buffer records into a capture file. The reader
// thread only appends records to a batch; full batches go through a bounded
// queue to a writer thread that compresses and writes them, so compression
// never stalls draining the ring buffer.
//
// Limits: the writer takes at most `max_records` records (the rest are not
// written), stops writing once a frame takes the file to `max_bytes`, and
// with `rotate_bytes` moves to a new, self-contained file (FILE.0, FILE.1,
// ...) before the first frame that would go into a file already that large.
//
// A full disk stops the writing but never leaves the file unfinished: room
// for the blocks that close a file (the statistics trailer, and loss records
// for gaps no written record marks) is allocated ahead, past each block
// written, so the file ends with its trailer after its last whole frame.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/private_file.h"
#include "common/result.h"
#include "format/block_writer.h"
#include "format/event_frame.h"
#include "format/metadata.h"

namespace etrace::capture {

struct WriterLimits {
  uint64_t max_records = 0;   // 0: no limit
  uint64_t max_bytes = 0;     // 0: no limit
  uint64_t rotate_bytes = 0;  // 0: one file
  uint32_t rotate_count = 0;  // 0: keep every rotated file
  std::string rotate_base;    // FILE, when rotating: the files are FILE.0, FILE.1, ...
};

// Everything a file holds before its events (each rotated file repeats it).
struct CaptureMetadata {
  format::HostInfo host;
  format::CaptureInfo info;
  format::SyscallTable table;
  format::TracepointFormats formats;
  format::CopyPlans plans;
  std::vector<uint8_t> btf;  // raw kernel BTF; empty with --no-btf
  format::LibraryTable libraries;  // traced library functions; none without --lib
};

// The name of rotated file `index` of FILE.
std::string rotated_name(const std::string& base, uint64_t index);

class CaptureWriter {
 public:
  // `fd` stays its caller's; with rotation it is FILE.0, and the writer
  // opens (and closes) the files after it.
  CaptureWriter(int fd, std::string name, WriterLimits limits = {});
  ~CaptureWriter();

  // The file header and metadata blocks; the error is the first write error (error()).
  Result<void> write_metadata(const CaptureMetadata& metadata);
  // Fills the kernel's loss counts (cumulative since the start) into the
  // trailer of a file finished by rotation, and takes them when the disk
  // fills. Called on the writer thread.
  void set_loss_source(std::function<void(format::CaptureStats&)> source) { loss_source_ = std::move(source); }
  // With rotation: closes `fd`, the caller's, once the writer has moved
  // past FILE.0 (so that removing FILE.0 frees its space). Writer thread.
  void set_first_file_closer(std::function<void()> closer) { close_first_ = std::move(closer); }

  // Reader thread: one record as the kernel wrote it.
  void add_record(std::span<const uint8_t> record);
  // Reader thread: hands over the current batch if it has waited long enough.
  void flush_if_due(uint64_t now_ns);

  // Flushes everything, stops the writer thread, writes the last file's
  // trailer: `stats` with the written counts of that file filled in. After
  // a full disk, the trailer holds the loss counts taken when it filled,
  // stop reason "disk full", and loss records precede it for the gaps that
  // no written record marks. False when the trailer could not be written.
  bool finish(format::CaptureStats stats);

  // Reader thread: --max-events records have been taken.
  bool event_limit_reached() const { return limits_.max_records && records_taken_ >= limits_.max_records; }
  // A frame took the file to --max-size; later records are not written.
  bool size_limit_reached() const { return size_limit_reached_.load(); }
  // Reader thread: records taken so far.
  uint64_t records_taken() const { return records_taken_; }
  // Records written over all files (the rest of those taken were not:
  // they came after a full disk or --max-size).
  uint64_t records_written() const;
  // The writing stopped because the disk (or quota) was full.
  bool disk_full() const;

  // After finish(): records written over all files, by syscall number,
  // by library function, and process records.
  const std::map<uint32_t, uint64_t>& written_by_syscall() const { return total_by_syscall_; }
  const std::map<uint32_t, uint64_t>& written_by_function() const { return total_by_function_; }
  uint64_t written_process_records() const { return total_process_; }
  // Bytes written over all files, and the raw record bytes they hold.
  uint64_t bytes_written() const;
  uint64_t raw_bytes_written() const;
  // Files written (1 without rotation), and the first one still on disk.
  uint64_t files() const;
  uint64_t first_kept() const;
  // The file being written.
  std::string current_name() const;
  // The first write error, as a sentence; empty while all is well.
  std::string error() const;

 private:
  struct Batch {
    std::vector<uint8_t> bytes;
    uint32_t records = 0;
    // Records per syscall number, the last slot for process records: an
    // array, as the reader thread counts every record.
    std::vector<uint64_t> counts;
    std::vector<uint64_t> function_counts;  // library call records, by function index
    // Per CPU: records lost there that this batch's loss records mark, and
    // the time of its last record here.
    std::vector<uint64_t> marked;
    std::vector<uint64_t> last_ts;
  };
  Batch new_batch() const;
  void hand_over();
  void write_loop();
  bool write_head();  // file header and metadata blocks, into out_
  bool rotate();      // writer thread: next file, trailer of this one, the next one's head
  // With --rotate-count, before FILE.index is written: removes the oldest
  // file kept, so that its space serves the new one; the first file kept
  // then (0: none removed).
  uint64_t remove_oldest(uint64_t index);
  bool write_rotated_trailer();  // the trailer of the file rotation leaves
  format::CaptureStats file_stats(const format::CaptureStats& stats) const;
  void publish();     // copies out_'s counters under mu_
  void count_written(const Batch& b);
  // The disk filled: the kernel's loss counts now, for the trailer.
  void cut(uint64_t now_ns);
  // Loss records for the losses counted by `kernel` that no written record marks.
  std::vector<uint8_t> unmarked_gaps(const format::CaptureStats& kernel, uint64_t now_ns, uint32_t& count) const;

  const WriterLimits limits_;
  const size_t frame_bytes_;
  format::BlockWriter out_;  // the writer thread's alone once records flow
  format::FrameCompressor compressor_;
  Batch batch_;
  uint64_t batch_started_ns_ = 0;
  uint64_t records_taken_ = 0;
  std::function<void(format::CaptureStats&)> loss_source_;
  std::function<void()> close_first_;

  // The metadata blocks' bodies, for the head of every rotated file.
  std::vector<uint8_t> host_, info_, table_, formats_, plans_, btf_, libraries_;
  uint64_t head_bytes_ = 0;   // what the head takes on disk
  uint64_t reserve_bytes_ = 0;  // room kept for the blocks that close a file

  // Writer thread (read by others only after it has been joined).
  std::map<uint32_t, uint64_t> file_by_syscall_, total_by_syscall_;
  std::map<uint32_t, uint64_t> file_by_function_, total_by_function_;
  uint64_t file_process_ = 0, total_process_ = 0;
  bool file_has_events_ = false;
  std::optional<common::PrivateFile> rotated_;  // the file after FILE.0 being written
  std::vector<uint64_t> marked_by_cpu_;   // over the written records: losses their loss records mark
  std::vector<uint64_t> last_ts_by_cpu_;  // ... and each CPU's last record
  uint64_t cut_ns_ = 0;                   // when the disk was found full
  format::CaptureStats cut_losses_;       // the kernel's loss counts then
  uint64_t bytes_closed_ = 0;     // bytes of the files finished by rotation
  std::atomic<bool> size_limit_reached_ = false;

  mutable std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<Batch> queue_;
  std::string error_;             // guarded by mu_, copied from out_
  uint64_t bytes_written_ = 0;    // guarded by mu_, over all files
  uint64_t raw_written_ = 0;      // guarded by mu_
  uint64_t records_written_ = 0;  // guarded by mu_
  bool disk_full_ = false;        // guarded by mu_
  uint64_t file_index_ = 0;       // guarded by mu_
  uint64_t first_kept_ = 0;       // guarded by mu_
  std::string name_;              // guarded by mu_
  bool closing_ = false;
  std::thread writer_;
};

}  // namespace etrace::capture
