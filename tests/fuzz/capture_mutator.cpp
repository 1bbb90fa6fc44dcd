// libFuzzer's custom mutator for capture files, linked into each target.
//
// A byte inserted into a block breaks its framing (the length, the trailer,
// an uncompressed events header's raw_size, the sizes of the records that
// follow), and the reader then stops at the framing: random mutations alone
// rarely reach the parsers behind it. So most mutations are made to one
// block's body, or to one record of an events block, and the lengths are
// then set to fit; some drop, repeat or swap whole blocks; and one in four
// is left to libFuzzer as it is, for the framing's own checks.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "format/file_layout.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

using namespace etrace::format;

constexpr size_t kRecordHeader = 24;  // etrace_header
constexpr size_t kMaxRecord = UINT16_MAX;

struct RawBlock {
  BlockHeader header;
  std::vector<uint8_t> body;
};

struct Parsed {
  std::vector<uint8_t> head;  // the file header
  std::vector<RawBlock> blocks;
  std::vector<uint8_t> tail;  // what follows the last well-framed block
};

// The blocks of a well-framed prefix; false when there is not even a header.
bool parse(const uint8_t* data, size_t size, Parsed& out) {
  FileHeader fh;
  if (size < sizeof(fh)) return false;
  std::memcpy(&fh, data, sizeof(fh));
  if (fh.header_size < sizeof(fh) || fh.header_size > size) return false;
  out.head.assign(data, data + fh.header_size);
  size_t at = fh.header_size;
  while (at + sizeof(BlockHeader) <= size) {
    RawBlock b;
    std::memcpy(&b.header, data + at, sizeof(b.header));
    if (b.header.body_size > size) break;
    const uint64_t framed = sizeof(BlockHeader) + padded(b.header.body_size) + kBlockTrailerSize;
    if (framed > size - at) break;
    b.body.assign(data + at + sizeof(BlockHeader), data + at + sizeof(BlockHeader) + b.header.body_size);
    out.blocks.push_back(std::move(b));
    at += framed;
  }
  out.tail.assign(data + at, data + size);
  return true;
}

std::vector<uint8_t> serialize(const Parsed& p) {
  std::vector<uint8_t> out = p.head;
  for (const RawBlock& b : p.blocks) {
    BlockHeader h = b.header;
    h.body_size = b.body.size();
    const auto* hp = reinterpret_cast<const uint8_t*>(&h);
    out.insert(out.end(), hp, hp + sizeof(h));
    out.insert(out.end(), b.body.begin(), b.body.end());
    out.resize(out.size() + (padded(b.body.size()) - b.body.size()), 0);
    const uint64_t trailer = b.body.size();
    const auto* tp = reinterpret_cast<const uint8_t*>(&trailer);
    out.insert(out.end(), tp, tp + sizeof(trailer));
  }
  out.insert(out.end(), p.tail.begin(), p.tail.end());
  return out;
}

// libFuzzer's mutation of `bytes`, which may grow by up to `room`.
void mutate(std::vector<uint8_t>& bytes, size_t room) {
  const size_t size = bytes.size();
  bytes.resize(size + room);
  bytes.resize(LLVMFuzzerMutate(bytes.data(), size, bytes.size()));
}

bool uncompressed_events(const RawBlock& b) {
  EventsHeader eh;
  if (b.header.type != static_cast<uint32_t>(BlockType::kEvents) || b.header.flags || b.body.size() < sizeof(eh))
    return false;
  std::memcpy(&eh, b.body.data(), sizeof(eh));
  return eh.compression == static_cast<uint32_t>(Compression::kNone);
}

// Mutates one record of an uncompressed events body, its size set to fit;
// false when the body holds no whole record.
bool mutate_a_record(std::vector<uint8_t>& body, std::minstd_rand& rng, size_t room) {
  std::vector<std::pair<size_t, size_t>> records;  // offset, size
  for (size_t at = sizeof(EventsHeader); at + kRecordHeader <= body.size();) {
    uint16_t size;
    std::memcpy(&size, body.data() + at + 2, sizeof(size));
    if (size < kRecordHeader || size > body.size() - at) break;
    records.emplace_back(at, size);
    at += size;
  }
  if (records.empty()) return false;
  const auto [at, size] = records[rng() % records.size()];
  std::vector<uint8_t> record(body.begin() + static_cast<std::ptrdiff_t>(at),
                              body.begin() + static_cast<std::ptrdiff_t>(at + size));
  mutate(record, std::min(room, kMaxRecord - size));
  if (record.size() < kRecordHeader) record.resize(kRecordHeader, 0);
  const auto new_size = static_cast<uint16_t>(record.size());
  std::memcpy(record.data() + 2, &new_size, sizeof(new_size));
  body.erase(body.begin() + static_cast<std::ptrdiff_t>(at), body.begin() + static_cast<std::ptrdiff_t>(at + size));
  body.insert(body.begin() + static_cast<std::ptrdiff_t>(at), record.begin(), record.end());
  return true;
}

void set_raw_size(RawBlock& b) {
  const uint64_t raw = b.body.size() - sizeof(EventsHeader);
  std::memcpy(b.body.data() + offsetof(EventsHeader, raw_size), &raw, sizeof(raw));
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  std::minstd_rand rng(seed);
  Parsed p;
  if (rng() % 4 == 0 || !parse(data, size, p) || p.blocks.empty()) return LLVMFuzzerMutate(data, size, max_size);
  const size_t room = max_size > size ? std::min<size_t>(max_size - size, 4096) : 0;
  const size_t i = rng() % p.blocks.size();
  switch (rng() % 16) {
    case 0: p.blocks.erase(p.blocks.begin() + static_cast<std::ptrdiff_t>(i)); break;
    case 1: p.blocks.insert(p.blocks.begin() + static_cast<std::ptrdiff_t>(i), p.blocks[i]); break;
    case 2:
      if (i + 1 < p.blocks.size()) std::swap(p.blocks[i], p.blocks[i + 1]);
      break;
    default: {
      RawBlock& b = p.blocks[i];
      if (uncompressed_events(b) && (rng() % 4 != 0) && mutate_a_record(b.body, rng, room)) {
        set_raw_size(b);
      } else {
        mutate(b.body, room);
        if (uncompressed_events(b) && rng() % 2) set_raw_size(b);
      }
    }
  }
  const std::vector<uint8_t> out = serialize(p);
  if (out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
