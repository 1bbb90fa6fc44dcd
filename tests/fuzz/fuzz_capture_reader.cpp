// libFuzzer entry point over format/: the input is read as a capture file
// (every block's framing, every metadata parser), and also
// directly as an events body and as a decompressed frame of records, so the
// fuzzer reaches open_frame and RecordCursor without having to build valid
// framing first. Nothing may crash, leak, or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <span>
#include <sstream>
#include <string>

#include "format/block_reader.h"
#include "format/event_frame.h"
#include "format/metadata.h"

namespace {

using namespace etrace::format;
using etrace::Result;

size_t walk_records(std::span<const uint8_t> records) {
  RecordCursor cursor(records);
  size_t bytes = 0;
  while (auto r = cursor.next()) bytes += r->bytes.size();
  if (cursor.error().empty() && bytes != records.size()) __builtin_trap();  // a clean walk covers the frame
  return bytes;
}

// A refusal must say why.
template <typename T>
void check(const Result<T>& parsed) {
  if (!parsed && parsed.error().message.empty()) __builtin_trap();
}

void read_events(std::span<const uint8_t> body) {
  auto frame = open_frame(body);
  check(frame);
  if (frame) walk_records(frame->records);
}

void read_block(const Block& b) {
  switch (b.type) {
    case BlockType::kHost: check(host_info_from(b.body)); break;
    case BlockType::kCapture: check(capture_info_from(b.body)); break;
    case BlockType::kSyscallTable: check(syscall_table_from(b.body)); break;
    case BlockType::kTracepointFormats: check(tracepoint_formats_from(b.body)); break;
    case BlockType::kStats: check(capture_stats_from(b.body)); break;
    case BlockType::kCopyPlans: check(copy_plans_from(b.body)); break;
    case BlockType::kLibraries: check(library_table_from(b.body)); break;
    case BlockType::kEvents: read_events(b.body); break;
    default: break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);

  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  BlockReader reader(in);
  if (auto opened = reader.open(); !opened) {
    check(opened);
  } else {
    while (auto block = reader.next()) read_block(*block);
    if (reader.end() == ReadEnd::kNotYet) __builtin_trap();
    if (reader.end() != ReadEnd::kClean && reader.message().empty()) __builtin_trap();
  }

  read_events(input);
  walk_records(input);
  return 0;
}
