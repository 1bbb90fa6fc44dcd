// Builds capture files in memory for tests, with format/'s own writer:
// records are laid out field by field, framed by FrameCompressor and
// written by BlockWriter, exactly as etrace-capture writes them.
#pragma once

#include <linux/types.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "format/metadata.h"
#include "format/process_context.h"
#include "format/records.h"

namespace etrace::test {

// A tracefs format file kept verbatim in tests/fixtures/tracefs.
std::string fixture(const std::string& name);

class CaptureBuilder {
 public:
  CaptureBuilder();

  // Registers a syscall in the table, with its formats from the fixtures
  // when `with_format` is set.
  CaptureBuilder& syscall(uint32_t nr, const std::string& name, bool with_format = true);

  CaptureBuilder& enter(uint64_t ts, uint32_t tgid, uint32_t tid, uint16_t nr, std::array<uint64_t, 6> args);
  CaptureBuilder& exit(uint64_t ts, uint32_t tgid, uint32_t tid, uint16_t nr, int64_t ret);
  CaptureBuilder& task(uint64_t ts, uint32_t tgid, uint32_t tid, uint32_t ppid, const std::string& comm);
  CaptureBuilder& fork(uint64_t ts, uint32_t tgid, uint32_t tid, uint32_t child_tgid, uint32_t child_tid);
  CaptureBuilder& exec(uint64_t ts, uint32_t tgid, uint32_t tid, uint32_t old_tid, const std::string& comm);
  CaptureBuilder& task_exit(uint64_t ts, uint32_t tgid, uint32_t tid, int32_t status, bool group_dead);
  // A signal thread `tid` met (record 12): `info` is the siginfo's bytes.
  CaptureBuilder& signal(uint64_t ts, uint32_t tgid, uint32_t tid, int32_t signo, uint32_t kind, uint64_t handler,
                         uint64_t sa_flags, uint32_t sender, const std::string& info);
  // A gap marker: `count` records lost on `cpu` between first and last.
  CaptureBuilder& loss(uint64_t ts, uint16_t cpu, uint64_t count, uint64_t first, uint64_t last);
  // A context record of facts.pid/facts.tid, as format/process_context.h encodes it.
  CaptureBuilder& context(uint64_t ts, const format::ContextFacts& facts);
  // Any bytes as a record (unknown types, short records).
  CaptureBuilder& raw_record(std::vector<uint8_t> bytes);
  // Starts a new events block for the records that follow.
  CaptureBuilder& new_block();

  // The whole file. The trailer (stats block) is written when asked.
  std::string build(bool with_trailer = true) const;

  format::HostInfo host;
  format::CaptureInfo capture;
  bool capture_block = true;  // false: as captures before the capture block were
  format::SyscallTable table;
  format::TracepointFormats formats;
  format::CaptureStats stats;
  // Extra raw blocks written right after the metadata: {type, body}.
  std::vector<std::pair<uint32_t, std::vector<uint8_t>>> extra_blocks;

 private:
  template <typename T>
  CaptureBuilder& add(const T& rec);
  static etrace_header header(uint16_t type, uint16_t size, uint16_t nr, uint64_t ts, uint32_t tgid, uint32_t tid);

  struct Block {
    std::vector<uint8_t> bytes;
    uint32_t count = 0;
  };
  std::vector<Block> blocks_;
};

}  // namespace etrace::test
