#include "capture/record_merger.h"

#include <linux/types.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <queue>

#include "bpf/map_layouts.h"
#include "format/records.h"

namespace etrace::capture {

namespace {

etrace_header header_at(const uint8_t* bytes, size_t off) {
  etrace_header h;
  std::memcpy(&h, bytes + off, sizeof(h));
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
  const bool direct = cpu & ETRACE_CPU_DIRECT;
  const size_t source = 2u * (cpu & ~ETRACE_CPU_DIRECT) + direct;
  if (source >= queues_.size()) queues_.resize(source + 1);
  Queue& q = queues_[source];
  if (!direct) {
    q.bytes.insert(q.bytes.end(), run.begin(), run.end());
  } else {
    // A probe that was preempted between its stamp and its write lands
    // after later ones: it goes back to its place in time.
    const uint64_t ts = header_at(run.data(), 0).ts_ns;
    size_t at = q.bytes.size();
    if (!q.bytes.empty() && ts < q.last_ts)
      for (at = q.head; at < q.bytes.size() && header_at(q.bytes.data(), at).ts_ns <= ts;)
        at += header_at(q.bytes.data(), at).size;
    const auto where = q.bytes.insert(q.bytes.begin() + static_cast<std::ptrdiff_t>(at), run.begin(), run.end());
    // The file holds the CPU's number alone.
    const uint16_t plain = cpu & ~ETRACE_CPU_DIRECT;
    std::memcpy(&*where + offsetof(etrace_header, cpu), &plain, sizeof(plain));
    q.last_ts = std::max(q.last_ts, ts);
  }
  held_ += records;
  return true;
}

void RecordMerger::release(uint64_t horizon_ns, const RecordFn& out) {
  // A heap of the queues' first records, earliest first; ties go to the
  // lower CPU (staged before direct), so that the order never depends on
  // arrival.
  using Head = std::pair<uint64_t, size_t>;  // (ts, queue)
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
  auto push_head = [&](size_t source) {
    const Queue& q = queues_[source];
    if (q.head >= q.bytes.size()) return;
    const uint64_t ts = header_at(q.bytes.data(), q.head).ts_ns;
    if (ts < horizon_ns) heads.emplace(ts, source);
  };
  for (size_t source = 0; source < queues_.size(); ++source) push_head(source);
  while (!heads.empty()) {
    const size_t source = heads.top().second;
    heads.pop();
    Queue& q = queues_[source];
    const uint16_t size = header_at(q.bytes.data(), q.head).size;
    out({q.bytes.data() + q.head, size});
    q.head += size;
    --held_;
    push_head(source);
  }
  for (Queue& q : queues_) {
    if (q.head == 0) continue;
    q.bytes.erase(q.bytes.begin(), q.bytes.begin() + static_cast<std::ptrdiff_t>(q.head));
    q.head = 0;
  }
}

}  // namespace etrace::capture
