// Writes small valid captures into a directory, as a starting corpus for
// fuzz_capture_reader.
#include <fcntl.h>
#include <linux/types.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "format/block_writer.h"
#include "format/event_frame.h"
#include "format/metadata.h"
#include "format/records.h"

using namespace etrace::format;

namespace {

template <typename R>
void append(std::vector<uint8_t>& out, const R& r) {
  const auto* p = reinterpret_cast<const uint8_t*>(&r);
  out.insert(out.end(), p, p + sizeof(r));
}

std::vector<uint8_t> records(uint32_t& count) {
  std::vector<uint8_t> out;
  etrace_task t{};
  t.h = {ETRACE_REC_TASK, sizeof(t), 0, ETRACE_NR_UNKNOWN, 10, 100, 100};
  std::strcpy(t.comm, "sh");
  append(out, t);
  etrace_sys_enter e{};
  e.h = {ETRACE_REC_SYS_ENTER, sizeof(e), 0, 257, 11, 100, 100};
  e.args[1] = 0x1000;
  append(out, e);
  etrace_sys_exit x{};
  x.h = {ETRACE_REC_SYS_EXIT, sizeof(x), 0, 257, 12, 100, 100};
  x.ret = -2;
  append(out, x);
  etrace_task_exit q{};
  q.h = {ETRACE_REC_EXIT, sizeof(q), 0, ETRACE_NR_UNKNOWN, 13, 100, 100};
  q.group_dead = 1;
  append(out, q);
  count = 4;
  return out;
}

bool write_seed(const std::string& path, bool compress_events) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  BlockWriter w(fd, path);
  w.write_file_header();
  w.write_block(BlockType::kHost, to_block_body(HostInfo{"h", "6.1", "#1", "x86_64", 4096, 2}));
  CaptureInfo c;
  c.argv = {"etrace-capture", "-p", "100"};
  c.pids = {100};
  w.write_block(BlockType::kCapture, to_block_body(c));
  SyscallTable t;
  t.names = {{257, "openat"}};
  t.events = {{257, "openat"}};
  w.write_compressed_block(BlockType::kSyscallTable, to_block_body(t));
  TracepointFormats f;
  f.formats["sys_enter_openat"] = "name: sys_enter_openat\n";
  w.write_compressed_block(BlockType::kTracepointFormats, to_block_body(f));
  uint32_t n = 0;
  auto recs = records(n);
  if (compress_events) {
    FrameCompressor fc;
    w.write_block(BlockType::kEvents, fc.frame(recs, n));
  } else {
    EventsHeader eh{recs.size(), n, static_cast<uint32_t>(Compression::kNone)};
    w.write_block(BlockType::kEvents, {reinterpret_cast<const uint8_t*>(&eh), sizeof(eh)}, recs);
  }
  CaptureStats s;
  s.syscalls[257] = {2, 0};
  s.cpus[0] = {1, 5, 6};
  s.command_status = 0;
  w.write_block(BlockType::kStats, to_block_body(s));
  ::close(fd);
  return !w.failed();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  if (!write_seed(dir + "/zstd-events.etrace", true) || !write_seed(dir + "/raw-events.etrace", false)) {
    std::fprintf(stderr, "fuzz_make_seeds: cannot write seeds into %s\n", dir.c_str());
    return 1;
  }
  return 0;
}
