// The kernel side of a capture: loads bpf/etrace.bpf.c, tells it what to
// trace through its maps, attaches it, and hands ring-buffer records to a
// callback. Owns every libbpf object.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "capture/kernel_features.h"
#include "capture/record_merger.h"
#include "capture/uprobe_links.h"
#include "common/result.h"
#include "format/metadata.h"

struct etrace_bpf;
struct etrace_syscall_config;
struct ring_buffer;

namespace etrace::capture {

struct TraceConfig {
  bool trace_all = false;                 // no target: the whole system but us
  uint32_t viewer_tgid = 0;               // --live: its decoder, never traced
  bool follow = true;
  std::vector<std::string> comms;
  std::vector<std::string> cgroup_dirs;   // --cgroup: only tasks in these (and below)
  std::vector<uint32_t> syscalls;         // numbers to trace
  std::vector<uint32_t> exec_syscalls;    // execve and execveat
  uint64_t buffer_bytes = 16ull << 20;
  format::CopyPlans plans;                // what to copy per syscall (copy_plan.h)
  // Library functions to trace (library_selection.h), and where this
  // process opens their libraries.
  format::LibraryTable libraries;
  std::vector<std::string> library_paths;
  // --check: load the library-call programs even with no function to
  // trace, and keep the verifier's statistics (log level 4).
  bool load_library_programs = false;
  unsigned verifier_log_level = 0;
  bool verbose = false;  // libbpf's messages on standard error
};

// One loaded program, as the verifier saw it (-1: not reported).
struct ProgramStats {
  std::string name;
  long long verified_insns = -1;
  long long verify_usec = -1;
};

// Records lost in the kernel, by syscall number (ETRACE_MAX_SYSCALLS for
// process records) and by CPU.
struct KernelLoss {
  std::map<uint32_t, uint64_t> by_syscall;
  std::map<uint32_t, uint64_t> by_function;  // library calls, by function index
  std::map<uint32_t, format::CpuLoss> by_cpu;
  uint64_t process_records = 0;
  // Times a program did not run because another of its runs was under way
  // on the same CPU: events lost without a trace of which syscall.
  uint64_t hook_misses = 0;

  uint64_t total() const;
};

class Tracer {
 public:
  using RecordFn = std::function<void(std::span<const uint8_t>)>;

  // Opens, configures for this kernel's features, and loads the BPF object.
  // Never null.
  static Result<std::unique_ptr<Tracer>> load(const TraceConfig& config, const KernelFeatures& kernel,
                                              RecordFn on_record);
  ~Tracer();

  // Adds a traced process (enum etrace_target_flags) before or after attach.
  // Library calls are traced in the processes added before attach.
  Result<void> add_target(uint32_t tgid, uint32_t flags);
  Result<void> attach();
  void detach();

  // Waits up to timeout_ms for records and delivers them; < 0 on error.
  int poll(int timeout_ms);
  // Delivers every record already in the buffer.
  int drain();

  KernelLoss losses() const;
  // Ring records that were not a run of whole records (never expected).
  uint64_t unreadable_batches() const { return unreadable_batches_; }
  // Loss records (ETRACE_REC_LOSS) for the gaps no later record revealed,
  // one per CPU that has one, stamped when capture stopped; after detach()
  // and drain(), so that they follow every record of their CPU.
  std::vector<std::vector<uint8_t>> open_gaps(uint64_t now_ns) const;
  // Library functions are probed through multi-uprobe links (not one link each).
  bool uprobe_multi() const { return uprobes_ && uprobes_->multi(); }
  // After attach: library functions the kernel refused to probe, by index.
  std::vector<uint32_t> refused_functions() const { return uprobes_ ? uprobes_->refused() : std::vector<uint32_t>{}; }
  // The programs loaded, and how long loading the whole object took.
  const std::vector<ProgramStats>& programs() const { return programs_; }
  uint64_t load_ns() const { return load_ns_; }
  // Runs the stage flush once on every CPU: 0, or the error of the first
  // CPU where it could not run (a kernel without BPF_F_TEST_RUN_ON_CPU).
  int try_flush() const;

 private:
  Tracer() = default;
  static int on_sample(void* self, void* data, size_t size);
  // Runs flush_stage on `cpu` (retried while a record is being written
  // there): true when its stage is empty after.
  bool flush_cpu(uint32_t cpu);
  // Flushes every CPU's stage, then drains the ring (`consumed`: what
  // ring_buffer__consume returned); true when every stage was emptied.
  bool flush_stages(int& consumed);

  static constexpr uint64_t kStampSlackNs = 10'000'000;
  static constexpr int kDrainRounds = 100;
  static constexpr int kFlushAttempts = 3;

  Result<void> configure(const TraceConfig& config, const KernelFeatures& kernel);
  Result<void> configure_libraries(const TraceConfig& config, const KernelFeatures& kernel);
  Result<void> load_object(const TraceConfig& config);
  Result<void> fill_maps(const TraceConfig& config);
  Result<void> fill_command_plans(uint32_t nr, const format::CommandPlans& commands, etrace_syscall_config& cfg);

  struct ::etrace_bpf* skel_ = nullptr;
  struct ::ring_buffer* ring_ = nullptr;
  RecordFn on_record_;
  RecordMerger merger_;
  // When each CPU's stage was last found empty after a flush (monotonic ns).
  std::vector<uint64_t> flushed_at_;
  uint64_t unreadable_batches_ = 0;
  format::LibraryTable libraries_;
  std::vector<std::string> library_paths_;
  std::vector<uint32_t> targets_;
  std::unique_ptr<UprobeLinks> uprobes_;
  std::vector<ProgramStats> programs_;
  uint64_t load_ns_ = 0;
};

}  // namespace etrace::capture
