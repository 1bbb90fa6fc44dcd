#include "capture_builder.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "format/block_writer.h"
#include "format/event_frame.h"
#include "tests/unit/record_header.h"

namespace etrace::test {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(ETRACE_FIXTURES_DIR) + "/" + name);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CaptureBuilder::CaptureBuilder() {
  host.hostname = "testhost";
  host.kernel_release = "6.1.0-test";
  host.machine = "x86_64";
  capture.etrace_version = "0.1.0";
  // Monotonic 0 is 2026-11-22T03:00:00Z.
  capture.realtime_offset_ns = 1795316400LL * 1000000000LL;
  table.source = "test";
  blocks_.emplace_back();
}

CaptureBuilder& CaptureBuilder::syscall(uint32_t nr, const std::string& name, bool with_format) {
  table.names[nr] = name;
  if (with_format) {
    formats.formats["sys_enter_" + name] = fixture("sys_enter_" + name + ".format");
    formats.formats["sys_exit_" + name] = fixture("sys_exit_" + name + ".format");
  }
  return *this;
}

etrace_header CaptureBuilder::header(uint16_t type, uint16_t size, uint16_t nr, uint64_t ts, uint32_t tgid,
                                     uint32_t tid) {
  return record_header(type, size, 0, nr, ts, tgid, tid);
}

template <typename T>
CaptureBuilder& CaptureBuilder::add(const T& rec) {
  std::vector<uint8_t> bytes(sizeof(T));
  std::memcpy(bytes.data(), &rec, sizeof(T));
  return raw_record(std::move(bytes));
}

CaptureBuilder& CaptureBuilder::context(uint64_t ts, const format::ContextFacts& facts) {
  return raw_record(format::encode_context_record(facts, ts, 0));
}

CaptureBuilder& CaptureBuilder::raw_record(std::vector<uint8_t> bytes) {
  auto& b = blocks_.back();
  b.bytes.insert(b.bytes.end(), bytes.begin(), bytes.end());
  b.count++;
  return *this;
}

CaptureBuilder& CaptureBuilder::new_block() {
  blocks_.emplace_back();
  return *this;
}

CaptureBuilder& CaptureBuilder::enter(uint64_t ts, uint32_t tgid, uint32_t tid, uint16_t nr,
                                      std::array<uint64_t, 6> args) {
  etrace_sys_enter r{};
  r.h = header(ETRACE_REC_SYS_ENTER, sizeof(r), nr, ts, tgid, tid);
  for (size_t i = 0; i < 6; ++i) r.args[i] = args[i];
  return add(r);
}

CaptureBuilder& CaptureBuilder::exit(uint64_t ts, uint32_t tgid, uint32_t tid, uint16_t nr, int64_t ret) {
  etrace_sys_exit r{};
  r.h = header(ETRACE_REC_SYS_EXIT, sizeof(r), nr, ts, tgid, tid);
  r.ret = ret;
  return add(r);
}

CaptureBuilder& CaptureBuilder::signal(uint64_t ts, uint32_t tgid, uint32_t tid, int32_t signo, uint32_t kind,
                                       uint64_t handler, uint64_t sa_flags, uint32_t sender, const std::string& info) {
  etrace_signal r{};
  r.h = header(ETRACE_REC_SIGNAL, sizeof(r), ETRACE_NR_UNKNOWN, ts, tgid, tid);
  r.signo = signo;
  r.kind = kind;
  r.handler = handler;
  r.sa_flags = sa_flags;
  r.sender_tgid = r.sender_tid = sender;
  std::memcpy(r.info, info.data(), std::min(info.size(), sizeof(r.info)));
  return add(r);
}

CaptureBuilder& CaptureBuilder::task(uint64_t ts, uint32_t tgid, uint32_t tid, uint32_t ppid,
                                     const std::string& comm) {
  etrace_task r{};
  r.h = header(ETRACE_REC_TASK, sizeof(r), ETRACE_NR_UNKNOWN, ts, tgid, tid);
  r.ppid = ppid;
  std::memcpy(r.comm, comm.data(), std::min(comm.size(), sizeof(r.comm)));
  return add(r);
}

CaptureBuilder& CaptureBuilder::fork(uint64_t ts, uint32_t tgid, uint32_t tid, uint32_t child_tgid,
                                     uint32_t child_tid) {
  etrace_fork r{};
  r.h = header(ETRACE_REC_FORK, sizeof(r), ETRACE_NR_UNKNOWN, ts, tgid, tid);
  r.child_tgid = child_tgid;
  r.child_tid = child_tid;
  return add(r);
}

CaptureBuilder& CaptureBuilder::exec(uint64_t ts, uint32_t tgid, uint32_t tid, uint32_t old_tid,
                                     const std::string& comm) {
  etrace_exec r{};
  r.h = header(ETRACE_REC_EXEC, sizeof(r), ETRACE_NR_UNKNOWN, ts, tgid, tid);
  r.old_tid = old_tid;
  std::memcpy(r.comm, comm.data(), std::min(comm.size(), sizeof(r.comm)));
  return add(r);
}

CaptureBuilder& CaptureBuilder::task_exit(uint64_t ts, uint32_t tgid, uint32_t tid, int32_t status,
                                          bool group_dead) {
  etrace_task_exit r{};
  r.h = header(ETRACE_REC_EXIT, sizeof(r), ETRACE_NR_UNKNOWN, ts, tgid, tid);
  r.exit_code = status;
  r.group_dead = group_dead ? 1 : 0;
  return add(r);
}

CaptureBuilder& CaptureBuilder::loss(uint64_t ts, uint16_t cpu, uint64_t count, uint64_t first, uint64_t last) {
  etrace_loss_record r{};
  r.h = header(ETRACE_REC_LOSS, sizeof(r), ETRACE_NR_UNKNOWN, ts, 0, 0);
  r.h.cpu = cpu;
  r.count = count;
  r.first_ts_ns = first;
  r.last_ts_ns = last;
  return add(r);
}

std::string CaptureBuilder::build(bool with_trailer) const {
  int fd = memfd_create("etrace-test-capture", 0);
  if (fd < 0) throw std::runtime_error("memfd_create failed");
  format::BlockWriter w(fd, "test capture");
  w.write_file_header();
  w.write_block(format::BlockType::kHost, format::to_block_body(host));
  if (capture_block) w.write_block(format::BlockType::kCapture, format::to_block_body(capture));
  w.write_compressed_block(format::BlockType::kSyscallTable, format::to_block_body(table));
  w.write_compressed_block(format::BlockType::kTracepointFormats, format::to_block_body(formats));
  for (const auto& [type, body] : extra_blocks) w.write_block(static_cast<format::BlockType>(type), body);
  format::FrameCompressor fc;
  for (const auto& b : blocks_)
    if (b.count) w.write_block(format::BlockType::kEvents, fc.frame(b.bytes, b.count));
  if (with_trailer) w.write_block(format::BlockType::kStats, format::to_block_body(stats));
  if (w.failed()) throw std::runtime_error(w.error());
  std::string out(static_cast<size_t>(lseek(fd, 0, SEEK_END)), '\0');
  if (pread(fd, out.data(), out.size(), 0) != static_cast<ssize_t>(out.size())) throw std::runtime_error("pread");
  close(fd);
  // ETRACE_FUZZ_SEEDS=DIR keeps every capture the tests build, to seed the
  // fuzzers' corpora (scripts/fuzz.sh --seed).
  if (const char* dir = std::getenv("ETRACE_FUZZ_SEEDS")) {
    std::ofstream seed(std::string(dir) + "/builder-" + std::to_string(std::hash<std::string>{}(out)),
                       std::ios::binary);
    seed << out;
  }
  return out;
}

}  // namespace etrace::test
