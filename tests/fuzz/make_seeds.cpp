// Turns captures into seeds the fuzzers mutate well, for the corpora in
// tests/fuzz/corpus (scripts/fuzz.sh --seed runs it):
//
//   fuzz_make_seeds OUT_DIR CAPTURE...
//
// Each capture's records are cut into runs of sixteen, and each run is
// written as a capture of its own with nothing compressed but the BTF: a
// mutation then lands on a record, a JSON member or a payload byte rather
// than inside a zstd frame that no longer inflates. Each keeps only the
// metadata its records use (a real capture carries the tracepoint formats
// and copy plans of every syscall, some 200 KB), the BTF only when they
// copy structs, and a host block that names no real kernel, so that a
// mutant without BTF is refused rather than decoded with the BTF of the
// machine the fuzzer runs on.
#include <fcntl.h>
#include <linux/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "format/block_reader.h"
#include "format/block_writer.h"
#include "format/event_frame.h"
#include "format/metadata.h"
#include "format/records.h"

using namespace etrace::format;

namespace {

constexpr size_t kRecordsPerSeed = 16;

struct Capture {
  std::vector<Block> metadata;  // in file order, events and trailer left out
  std::vector<std::vector<uint8_t>> records;
  std::optional<Block> trailer;
};

bool read_capture(const std::string& path, Capture& out) {
  std::ifstream in(path, std::ios::binary);
  BlockReader reader(in);
  if (!reader.open()) return false;
  while (auto block = reader.next()) {
    if (block->type == BlockType::kStats) {
      out.trailer = std::move(*block);
    } else if (block->type != BlockType::kEvents) {
      out.metadata.push_back(std::move(*block));
    } else if (auto frame = open_frame(block->body)) {
      RecordCursor cursor(frame->records);
      while (auto r = cursor.next()) out.records.emplace_back(r->bytes.begin(), r->bytes.end());
    }
  }
  return true;
}

// The syscall numbers of a run's sys_enter and sys_exit records.
std::set<uint32_t> syscalls_of(const std::vector<std::vector<uint8_t>>& records, size_t from, size_t to) {
  std::set<uint32_t> nrs;
  for (size_t i = from; i < to; ++i) {
    etrace_header h;
    std::memcpy(&h, records[i].data(), sizeof(h));
    if (h.type == ETRACE_REC_SYS_ENTER || h.type == ETRACE_REC_SYS_EXIT) nrs.insert(h.nr);
  }
  return nrs;
}

// A metadata block cut down to `nrs`, uncompressed.
std::vector<uint8_t> trimmed(const Block& block, const std::set<uint32_t>& nrs, const SyscallTable& table) {
  switch (block.type) {
    case BlockType::kHost: {
      auto host = host_info_from(block.body);
      if (!host) break;
      host->kernel_version = "fuzz seed";
      return to_block_body(*host);
    }
    case BlockType::kSyscallTable: {
      SyscallTable t;
      t.source = table.source;
      for (uint32_t nr : nrs) {
        if (auto it = table.names.find(nr); it != table.names.end()) t.names.insert(*it);
        if (auto it = table.events.find(nr); it != table.events.end()) t.events.insert(*it);
      }
      return to_block_body(t);
    }
    case BlockType::kTracepointFormats: {
      auto all = tracepoint_formats_from(block.body);
      if (!all) break;
      TracepointFormats f;
      for (uint32_t nr : nrs) {
        auto event = table.events.find(nr);
        if (event == table.events.end()) continue;
        for (const char* side : {"sys_enter_", "sys_exit_"})
          if (auto it = all->formats.find(side + event->second); it != all->formats.end()) f.formats.insert(*it);
      }
      return to_block_body(f);
    }
    case BlockType::kCopyPlans: {
      auto plans = copy_plans_from(block.body);
      if (!plans) break;
      CopyPlans p{plans->bytes_cap, plans->string_cap, {}, {}};
      for (uint32_t nr : nrs) {
        if (auto it = plans->syscalls.find(nr); it != plans->syscalls.end()) p.syscalls.insert(*it);
        if (auto it = plans->commands.find(nr); it != plans->commands.end()) p.commands.insert(*it);
      }
      return to_block_body(p);
    }
    default: break;
  }
  return block.body;
}

// Whether the copy plans of `nrs` name BTF types: without, the BTF is left out.
bool types_copied(const Capture& c, const std::set<uint32_t>& nrs) {
  for (const auto& b : c.metadata) {
    if (b.type != BlockType::kCopyPlans) continue;
    auto plans = copy_plans_from(b.body);
    if (!plans) continue;
    for (uint32_t nr : nrs)
      if (auto it = plans->syscalls.find(nr); it != plans->syscalls.end())
        for (const auto& op : it->second)
          if (op.btf_id) return true;
  }
  return false;
}

bool write_seed(const std::string& path, const Capture& c, size_t from, size_t to) {
  const std::set<uint32_t> nrs = syscalls_of(c.records, from, to);
  SyscallTable table;
  for (const auto& b : c.metadata)
    if (b.type == BlockType::kSyscallTable)
      if (auto parsed = syscall_table_from(b.body)) table = std::move(*parsed);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  BlockWriter w(fd, path);
  w.write_file_header();
  for (const auto& b : c.metadata) {
    if (b.type != BlockType::kBtf) w.write_block(b.type, trimmed(b, nrs, table));
    else if (types_copied(c, nrs)) w.write_compressed_block(b.type, b.body);
  }
  std::vector<uint8_t> records;
  for (size_t i = from; i < to; ++i) records.insert(records.end(), c.records[i].begin(), c.records[i].end());
  const EventsHeader head{records.size(), static_cast<uint32_t>(to - from), static_cast<uint32_t>(Compression::kNone)};
  w.write_block(BlockType::kEvents, {reinterpret_cast<const uint8_t*>(&head), sizeof(head)}, records);
  if (c.trailer) w.write_block(BlockType::kStats, c.trailer->body);
  ::close(fd);
  return !w.failed();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_make_seeds OUT_DIR CAPTURE...\n");
    return 2;
  }
  const std::string dir = argv[1];
  int written = 0;
  for (int i = 2; i < argc; ++i) {
    const std::string path = argv[i];
    Capture c;
    if (!read_capture(path, c)) {
      std::fprintf(stderr, "fuzz_make_seeds: %s is not a capture; skipped\n", path.c_str());
      continue;
    }
    const std::string base = dir + "/" + path.substr(path.find_last_of('/') + 1);
    const size_t runs = std::max<size_t>(1, (c.records.size() + kRecordsPerSeed - 1) / kRecordsPerSeed);
    for (size_t n = 0; n < runs; ++n) {
      const size_t from = n * kRecordsPerSeed, to = std::min(from + kRecordsPerSeed, c.records.size());
      if (!write_seed(base + "." + std::to_string(n), c, from, to)) {
        std::fprintf(stderr, "fuzz_make_seeds: cannot write into %s\n", dir.c_str());
        return 1;
      }
      ++written;
    }
  }
  std::fprintf(stderr, "fuzz_make_seeds: %d seeds in %s\n", written, dir.c_str());
  return 0;
}
