// One capture, its files in order, read record by record through its own
// pipeline: the whole of a decode, or one of the captures a merge
// interleaves. What each file's end says goes to standard error.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "decode/arguments/syscall_catalog.h"
#include "decode/input/capture_set.h"
#include "decode/options.h"
#include "decode/pipeline.h"

namespace etrace::decode {

// What decoding found: records the pipeline could not parse, and whether
// the filters let any call through.
struct Decoded {
  uint64_t malformed = 0;
  std::string first_malformed;
  bool filtered_out_every_call = false;
  uint64_t calls = 0;
};

class CaptureStream {
 public:
  // The capture's catalog (syscall names, formats, copy plans, BTF) from
  // its first file; an error names the file.
  static Result<std::unique_ptr<CaptureStream>> open(CaptureSet files, const Options& o);

  // The file being read: the first, until step() moves on.
  const CaptureFile& current() const { return files_.current(); }
  SyscallCatalog& catalog() { return catalog_; }
  // Where times convert to wall-clock; 0 without a capture block.
  int64_t realtime_offset_ns() const { return offset_; }

  // Builds the pipeline into `output`; `before_block_read` runs before
  // each events frame is read (the input may pause there).
  void start(EventFilter filter, Output& output, DescriptorActivity* descriptors,
             std::function<void()> before_block_read);
  // Feeds the next record; false once the capture has no more: its last
  // file ended, or one broke.
  bool step();
  // End of input: calls still pending go to the output.
  void finish();
  // What the end of the capture says (after the output finished), and
  // the exit status: 1 when a file broke or the next could not be read.
  int report_end();

  // Calls whose files' trailers all counted them: the capture's trailer.
  std::optional<format::CaptureStats> trailer() const;
  std::optional<uint64_t> start_ns() const { return start_ns_; }
  // When the capture started, and stopped (its trailer's end), in
  // wall-clock ns; nothing without a capture block, or a trailer.
  std::optional<int64_t> start_wall_ns() const;
  std::optional<int64_t> end_wall_ns() const;
  const std::map<uint32_t, std::string>& syscall_names() const { return names_; }
  Decoded decoded() const;

 private:
  CaptureStream(CaptureSet files, SyscallCatalog catalog, const Options& o);

  CaptureSet files_;
  SyscallCatalog catalog_;
  const Options& options_;
  int64_t offset_ = 0;
  std::optional<uint64_t> start_ns_;
  std::map<uint32_t, std::string> names_;
  std::unique_ptr<Pipeline> pipeline_;
  std::function<void()> before_block_read_;
  // Each file's trailer counts the records it holds; the kernel's losses
  // are cumulative, so the last file's stand.
  std::map<uint32_t, uint64_t> syscalls_written_, functions_written_;
  uint64_t process_written_ = 0;
  bool ended_ = false;
  std::string corrupt_;
  int status_ = 0;
};

}  // namespace etrace::decode
