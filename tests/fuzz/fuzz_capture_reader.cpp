// libFuzzer entry point: the input is read as a capture file, and also
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

size_t walk_records(std::span<const uint8_t> records) {
  RecordCursor cursor(records);
  size_t bytes = 0;
  while (auto r = cursor.next()) bytes += r->bytes.size();
  if (cursor.error().empty() && bytes != records.size()) __builtin_trap();  // a clean walk covers the frame
  return bytes;
}

void read_events(std::span<const uint8_t> body) {
  std::string error;
  if (auto frame = open_frame(body, error)) {
    walk_records(frame->records);
  } else if (error.empty()) {
    __builtin_trap();  // a refusal must say why
  }
}

void read_block(const Block& b) {
  std::string error;
  bool ok = true;
  switch (b.type) {
    case BlockType::kHost: ok = host_info_from(b.body, error).has_value(); break;
    case BlockType::kCapture: ok = capture_info_from(b.body, error).has_value(); break;
    case BlockType::kSyscallTable: ok = syscall_table_from(b.body, error).has_value(); break;
    case BlockType::kTracepointFormats: ok = tracepoint_formats_from(b.body, error).has_value(); break;
    case BlockType::kStats: ok = capture_stats_from(b.body, error).has_value(); break;
    case BlockType::kEvents: read_events(b.body); break;
  }
  if (!ok && error.empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);

  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  BlockReader reader(in);
  if (auto err = reader.open()) {
    if (err->empty()) __builtin_trap();
  } else {
    while (auto block = reader.next()) read_block(*block);
    if (reader.end() == ReadEnd::kNotYet) __builtin_trap();
    if (reader.end() != ReadEnd::kClean && reader.message().empty()) __builtin_trap();
  }

  read_events(input);
  walk_records(input);
  return 0;
}
