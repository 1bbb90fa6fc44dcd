// Helpers shared by the format/ unit tests: byte builders that follow the
// layout in format/file_layout.h without going through BlockWriter, a temp
// file that BlockWriter can write to, records built from format/records.h,
// and a probe of the largest allocation made while a scope is active.
#pragma once

#include <linux/types.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "format/block_reader.h"
#include "format/file_layout.h"
#include "format/records.h"
#include "tests/unit/error_of.h"
#include "tests/unit/record_header.h"

namespace etrace::format::test {

using Bytes = std::vector<uint8_t>;

using etrace::test::error_of;

inline Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string string_of(std::span<const uint8_t> b) { return std::string(b.begin(), b.end()); }

template <typename T>
void put(Bytes& out, const T& v) {
  const auto* p = reinterpret_cast<const uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}
inline void put_bytes(Bytes& out, std::span<const uint8_t> b) { out.insert(out.end(), b.begin(), b.end()); }

// The 24-byte file header, field by field.
Bytes file_header(uint16_t major = 1, uint16_t minor = 0, uint32_t byte_order = 0x1a2b3c4d,
                  uint32_t header_size = 24);

// One framed block, field by field: header, body, zero padding to 8, trailer.
// `trailer` overrides the repeated length (to build corrupt files).
Bytes framed_block(uint32_t type, uint32_t flags, std::span<const uint8_t> body);
Bytes framed_block_with_trailer(uint32_t type, uint32_t flags, std::span<const uint8_t> body, uint64_t trailer);

// An unlinked temporary file: BlockWriter writes to fd(), contents() reads it back.
class TempFile {
 public:
  TempFile();
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Everything written so far, read through std::ifstream.
  std::string contents() const;

 private:
  int fd_ = -1;
  std::string path_;
};

// Reads every block of `file`; returns them, with open()'s error (if any).
struct ReadAll {
  std::optional<std::string> open_error;
  std::vector<Block> blocks;
  ReadEnd end = ReadEnd::kNotYet;
  std::string message;
};
ReadAll read_all(std::istream& in);
ReadAll read_all(const std::string& file);

// Records as the BPF side writes them.
using etrace::test::record_header;
etrace_sys_enter sys_enter(uint16_t nr, uint64_t ts, uint32_t pid, std::initializer_list<uint64_t> args);
etrace_sys_exit sys_exit(uint16_t nr, uint64_t ts, uint32_t pid, int64_t ret);
etrace_task task(uint64_t ts, uint32_t pid, uint32_t ppid, const char* comm);
etrace_fork fork_record(uint64_t ts, uint32_t parent, uint32_t child);
etrace_exec exec_record(uint64_t ts, uint32_t pid, uint32_t old_tid, const char* comm);
etrace_task_exit exit_record(uint64_t ts, uint32_t pid, int32_t code, bool group_dead);

template <typename R>
void append_record(Bytes& out, const R& r) {
  put(out, r);
}

// While an AllocationProbe is alive, the largest single operator new request
// is recorded (the test binary replaces the global operator new).
class AllocationProbe {
 public:
  AllocationProbe();
  ~AllocationProbe();
  size_t largest() const;
};

}  // namespace etrace::format::test
