#include "capture/record_merger.h"

#include <linux/types.h>

#include <cstring>
#include <queue>

#include "format/records.h"

namespace etrace::capture {

namespace {

etrace_header header_at(const std::vector<uint8_t>& bytes, size_t off) {
  etrace_header h;
  std::memcpy(&h, bytes.data() + off, sizeof(h));
  return h;
}

}  // namespace

bool RecordMerger::add_run(std::span<const uint8_t> run) {
  // Checked whole before anything is kept: a queue holds only whole records.
  size_t off = 0, records = 0;
  uint16_t cpu = 0;
  while (off < run.size()) {
    etrace_header h;
    if (run.size() - off < sizeof(h)) return false;
    std::memcpy(&h, run.data() + off, sizeof(h));
    if (h.size < sizeof(h) || h.size > run.size() - off || (off > 0 && h.cpu != cpu)) return false;
    cpu = h.cpu;
    off += h.size;
    ++records;
  }
  if (records == 0) return true;
  if (cpu >= cpus_.size()) cpus_.resize(cpu + 1u);
  auto& q = cpus_[cpu].bytes;
  q.insert(q.end(), run.begin(), run.end());
  held_ += records;
  return true;
}

void RecordMerger::release(uint64_t horizon_ns, const RecordFn& out) {
  // A heap of the queues' first records, earliest first; ties go to the
  // lower CPU, so that the order never depends on arrival.
  using Head = std::pair<uint64_t, size_t>;  // (ts, cpu)
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
  auto push_head = [&](size_t cpu) {
    const Queue& q = cpus_[cpu];
    if (q.head >= q.bytes.size()) return;
    const uint64_t ts = header_at(q.bytes, q.head).ts_ns;
    if (ts < horizon_ns) heads.emplace(ts, cpu);
  };
  for (size_t cpu = 0; cpu < cpus_.size(); ++cpu) push_head(cpu);
  while (!heads.empty()) {
    const size_t cpu = heads.top().second;
    heads.pop();
    Queue& q = cpus_[cpu];
    const uint16_t size = header_at(q.bytes, q.head).size;
    out({q.bytes.data() + q.head, size});
    q.head += size;
    --held_;
    push_head(cpu);
  }
  for (Queue& q : cpus_) {
    if (q.head == 0) continue;
    q.bytes.erase(q.bytes.begin(), q.bytes.begin() + static_cast<std::ptrdiff_t>(q.head));
    q.head = 0;
  }
}

}  // namespace etrace::capture
