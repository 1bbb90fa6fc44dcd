#include "support.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <new>
#include <sstream>
#include <stdexcept>

namespace etrace::format::test {

Bytes file_header(uint16_t major, uint16_t minor, uint32_t byte_order, uint32_t header_size) {
  Bytes out = {0x89, 'E', 'T', 'R', 'C', '\r', '\n', 0x1a};
  put(out, byte_order);
  put(out, major);
  put(out, minor);
  put(out, header_size);
  put(out, uint32_t{0});  // flags
  return out;
}

Bytes framed_block_with_trailer(uint32_t type, uint32_t flags, std::span<const uint8_t> body, uint64_t trailer) {
  Bytes out;
  put(out, type);
  put(out, flags);
  put(out, uint64_t{body.size()});
  put_bytes(out, body);
  while ((out.size() % 8) != 0) out.push_back(0);
  put(out, trailer);
  return out;
}

Bytes framed_block(uint32_t type, uint32_t flags, std::span<const uint8_t> body) {
  return framed_block_with_trailer(type, flags, body, body.size());
}

TempFile::TempFile() {
  const char* dir = std::getenv("TMPDIR");
  std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/etrace-format-test-XXXXXX";
  fd_ = ::mkstemp(tmpl.data());
  if (fd_ < 0) throw std::runtime_error("cannot create a temporary file in " + tmpl);
  path_ = tmpl;
}

TempFile::~TempFile() {
  ::close(fd_);
  ::unlink(path_.c_str());
}

std::string TempFile::contents() const {
  std::ifstream in(path_, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

ReadAll read_all(std::istream& in) {
  ReadAll r;
  BlockReader reader(in);
  if (auto opened = reader.open(); !opened) {
    r.open_error = opened.error().message;
    return r;
  }
  while (auto b = reader.next()) r.blocks.push_back(std::move(*b));
  r.end = reader.end();
  r.message = reader.message();
  return r;
}

ReadAll read_all(const std::string& file) {
  std::istringstream in(file);
  return read_all(in);
}

etrace_sys_enter sys_enter(uint16_t nr, uint64_t ts, uint32_t pid, std::initializer_list<uint64_t> args) {
  etrace_sys_enter r{};
  r.h = record_header(ETRACE_REC_SYS_ENTER, sizeof(r), 1, nr, ts, pid, pid);
  size_t i = 0;
  for (uint64_t a : args) r.args[i++] = a;
  return r;
}

etrace_sys_exit sys_exit(uint16_t nr, uint64_t ts, uint32_t pid, int64_t ret) {
  etrace_sys_exit r{};
  r.h = record_header(ETRACE_REC_SYS_EXIT, sizeof(r), 1, nr, ts, pid, pid);
  r.ret = ret;
  return r;
}

etrace_task task(uint64_t ts, uint32_t pid, uint32_t ppid, const char* comm) {
  etrace_task r{};
  r.h = record_header(ETRACE_REC_TASK, sizeof(r), 0, ETRACE_NR_UNKNOWN, ts, pid, pid);
  r.ppid = ppid;
  std::strncpy(r.comm, comm, sizeof(r.comm) - 1);
  return r;
}

etrace_fork fork_record(uint64_t ts, uint32_t parent, uint32_t child) {
  etrace_fork r{};
  r.h = record_header(ETRACE_REC_FORK, sizeof(r), 2, ETRACE_NR_UNKNOWN, ts, parent, parent);
  r.child_tgid = child;
  r.child_tid = child;
  return r;
}

etrace_exec exec_record(uint64_t ts, uint32_t pid, uint32_t old_tid, const char* comm) {
  etrace_exec r{};
  r.h = record_header(ETRACE_REC_EXEC, sizeof(r), 3, ETRACE_NR_UNKNOWN, ts, pid, pid);
  r.old_tid = old_tid;
  std::strncpy(r.comm, comm, sizeof(r.comm) - 1);
  return r;
}

etrace_task_exit exit_record(uint64_t ts, uint32_t pid, int32_t code, bool group_dead) {
  etrace_task_exit r{};
  r.h = record_header(ETRACE_REC_EXIT, sizeof(r), 0, ETRACE_NR_UNKNOWN, ts, pid, pid);
  r.exit_code = code;
  r.group_dead = group_dead ? 1 : 0;
  return r;
}

namespace {
std::atomic<int> probes{0};
std::atomic<size_t> largest_request{0};
}  // namespace

AllocationProbe::AllocationProbe() {
  largest_request = 0;
  ++probes;
}
AllocationProbe::~AllocationProbe() { --probes; }
size_t AllocationProbe::largest() const { return largest_request; }

}  // namespace etrace::format::test

// Replacements of the global allocation functions, for AllocationProbe. All
// plain forms are replaced together, so that every new/delete pair matches.
namespace {
void* probed_malloc(std::size_t size) noexcept {
  using namespace etrace::format::test;
  if (probes > 0) {
    size_t seen = largest_request;
    while (size > seen && !largest_request.compare_exchange_weak(seen, size)) {
    }
  }
  return std::malloc(size ? size : 1);
}
}  // namespace

void* operator new(std::size_t size) {
  if (void* p = probed_malloc(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = probed_malloc(size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return probed_malloc(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return probed_malloc(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
