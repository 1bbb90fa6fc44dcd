// Puts the records of all CPUs back in one time order.
//
// The kernel side batches records per CPU (see "Staging" in
// bpf/etrace.bpf.c): each ring-buffer record is a run of one CPU's records,
// in the order that CPU wrote them, and runs of different CPUs arrive in
// the order they were handed over, not in time order. Library-call records
// come one per ring record, flagged ETRACE_CPU_DIRECT. The merger keeps
// each CPU's records in a queue and delivers them merged by timestamp, up
// to a horizon before which every CPU is known to have handed over all it
// wrote.
#ifndef ETRACE_CAPTURE_RECORD_MERGER_H
#define ETRACE_CAPTURE_RECORD_MERGER_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace etrace::capture {

class RecordMerger {
 public:
  using RecordFn = std::function<void(std::span<const uint8_t>)>;

  // Takes a run of records of one CPU. Returns false when the run does not
  // parse as whole records (which the kernel never writes): it is dropped.
  bool add_run(std::span<const uint8_t> run);
  // Delivers, merged in time order, every record stamped before horizon_ns.
  void release(uint64_t horizon_ns, const RecordFn& out);
  // Delivers every record held, in time order.
  void release_all(const RecordFn& out) { release(UINT64_MAX, out); }
  // Records held back.
  size_t held() const { return held_; }

 private:
  struct Queue {
    std::vector<uint8_t> bytes;
    size_t head = 0;       // offset of the first record not yet delivered
    uint64_t last_ts = 0;  // the latest stamp it has held
  };
  // Two per CPU: its staged runs, and its records that went straight into
  // the ring (ETRACE_CPU_DIRECT), which may be earlier than staged ones.
  std::vector<Queue> queues_;
  size_t held_ = 0;
};

}  // namespace etrace::capture

#endif
