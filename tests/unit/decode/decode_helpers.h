// Decodes an in-memory capture through the same pipeline etrace-decode uses.
#pragma once

#include <sstream>
#include <string>

#include "capture_builder.h"
#include "decode/arguments/syscall_catalog.h"
#include "decode/input/capture_file.h"
#include "decode/pipeline.h"
#include "decode/render/json_renderer.h"
#include "decode/render/perfetto_renderer.h"
#include "decode/render/stats_renderer.h"
#include "decode/render/text_renderer.h"

namespace etrace::test {

enum class Mode { kText, kJson, kStats, kPerfetto };

inline std::string decode(const std::string& file, Mode mode, decode::TextOptions text = {},
                          decode::EventFilter filter = {}, std::string* warnings = nullptr,
                          decode::StatsOptions stats = {},
                          decode::ContextPlacement contexts = decode::ContextPlacement::kLines) {
  std::istringstream in(file);
  decode::CaptureFile capture(in);
  if (auto opened = capture.open(); !opened) return "open error: " + opened.error().message;
  decode::SyscallCatalog catalog(capture.syscall_table().value_or(format::SyscallTable{}),
                                 capture.formats().value_or(format::TracepointFormats{}));
  std::ostringstream out, err;
  const int64_t offset = capture.capture() ? capture.capture()->realtime_offset_ns : 0;
  std::optional<uint64_t> start;
  if (capture.capture()) start = capture.capture()->start_ns;
  decode::TextRenderer t(out, text);
  decode::JsonRenderer j(out, contexts);
  decode::StatsRenderer s(out, err, std::move(stats));
  std::optional<decode::PerfettoRenderer> p;  // it writes its header as it starts
  if (mode == Mode::kPerfetto) p.emplace(out, static_cast<int64_t>(start.value_or(0)) + offset, text.strings);
  decode::Output* output = mode == Mode::kText    ? static_cast<decode::Output*>(&t)
                           : mode == Mode::kJson  ? static_cast<decode::Output*>(&j)
                           : mode == Mode::kStats ? static_cast<decode::Output*>(&s)
                                                  : static_cast<decode::Output*>(&*p);
  decode::Pipeline pipeline(catalog, offset, filter, *output,
                            mode == Mode::kJson ? decode::unabbreviated({}) : decode::DecodeOptions{});
  pipeline.set_libraries(decode::LibraryCatalog(capture.libraries().value_or(format::LibraryTable{})));
  decode::decode_all(capture, pipeline);
  s.set_sources({capture.stats(), start, capture.syscall_table().value_or(format::SyscallTable{}).names});
  if (p && capture.stats()) p->set_end(static_cast<int64_t>(capture.stats()->end_ns) + offset);
  output->finish();
  if (warnings) *warnings = err.str();
  return out.str();
}

inline std::string decode_text(const CaptureBuilder& b, decode::TextOptions text = {},
                               decode::EventFilter filter = {}) {
  return decode(b.build(), Mode::kText, text, filter);
}
inline std::string decode_json(const CaptureBuilder& b, decode::EventFilter filter = {},
                               decode::ContextPlacement contexts = decode::ContextPlacement::kLines) {
  return decode(b.build(), Mode::kJson, {}, filter, nullptr, {}, contexts);
}

// x86-64 numbers, as a capture's syscall table would give them.
enum Nr : uint16_t {
  kRead = 0, kWrite = 1, kLseek = 8, kMmap = 9, kBrk = 12, kClone = 56, kExecve = 59, kKill = 62,
  kFutex = 202, kExitGroup = 231, kOpenat = 257,
};

// A user-space buffer address for arguments whose bytes were not copied.
constexpr uint64_t kBuf = 0x7ffd00001000ull;

inline CaptureBuilder standard_capture() {
  CaptureBuilder b;
  b.syscall(kRead, "read").syscall(kWrite, "write").syscall(kLseek, "lseek").syscall(kMmap, "mmap");
  b.syscall(kBrk, "brk").syscall(kClone, "clone").syscall(kExecve, "execve").syscall(kKill, "kill");
  b.syscall(kFutex, "futex").syscall(kExitGroup, "exit_group").syscall(kOpenat, "openat");
  return b;
}

// Two events blocks: a complete read, then a write.
inline CaptureBuilder two_blocks() {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {3, kBuf, 1, 0, 0, 0});
  b.exit(2000, 100, 100, kRead, 1);
  b.new_block();
  b.enter(3000, 100, 100, kWrite, {1, kBuf, 1, 0, 0, 0});
  b.exit(4000, 100, 100, kWrite, 1);
  return b;
}

// sh (300) clones 301 at 1000; the child returns from clone (1300) before
// its parent does (1400), then writes 3 bytes (1500 to 1600).
inline void fork_a_writer(CaptureBuilder& b) {
  b.enter(1000, 300, 300, kClone, {0x1200011, 0, 0, 0x7f0000002000, 0x7f0000003000, 0});
  b.fork(1100, 300, 300, 301, 301);
  b.task(1200, 301, 301, 300, "sh");
  b.exit(1300, 301, 301, kClone, 0);
  b.exit(1400, 300, 300, kClone, 301);
  b.enter(1500, 301, 301, kWrite, {1, kBuf, 3, 0, 0, 0});
  b.exit(1600, 301, 301, kWrite, 3);
}

}  // namespace etrace::test
