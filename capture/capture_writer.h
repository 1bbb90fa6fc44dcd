// Turns the stream of ring-buffer records into a capture file. The reader
// thread only appends records to a batch; full batches go through a bounded
// queue to a writer thread that compresses and writes them, so compression
// never stalls draining the ring buffer.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "format/block_writer.h"
#include "format/event_frame.h"
#include "format/metadata.h"

namespace etrace::capture {

class CaptureWriter {
 public:
  CaptureWriter(int fd, std::string name);
  ~CaptureWriter();

  bool write_metadata(const format::HostInfo&, const format::CaptureInfo&, const format::SyscallTable&,
                      const format::TracepointFormats&);

  // Reader thread: one record as the kernel wrote it.
  void add_record(std::span<const uint8_t> record);
  // Reader thread: hands over the current batch if it has waited long enough.
  void flush_if_due(uint64_t now_ns);

  // Flushes everything, stops the writer thread, writes the trailer.
  bool finish(format::CaptureStats stats);

  // Records handed to the file, by syscall number, and process records.
  const std::map<uint32_t, uint64_t>& written_by_syscall() const { return written_by_syscall_; }
  uint64_t written_process_records() const { return written_process_; }
  uint64_t bytes_written() const;
  // The first write error, as a sentence; empty while all is well.
  std::string error() const;

 private:
  struct Batch {
    std::vector<uint8_t> bytes;
    uint32_t records = 0;
  };
  void hand_over();
  void write_loop();

  format::BlockWriter out_;  // the writer thread's alone once records flow
  format::FrameCompressor compressor_;
  Batch batch_;
  uint64_t batch_started_ns_ = 0;
  std::map<uint32_t, uint64_t> written_by_syscall_;
  uint64_t written_process_ = 0;

  mutable std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<Batch> queue_;
  std::string error_;         // guarded by mu_, copied from out_
  uint64_t bytes_written_ = 0;  // guarded by mu_
  bool closing_ = false;
  std::thread writer_;
};

}  // namespace etrace::capture
