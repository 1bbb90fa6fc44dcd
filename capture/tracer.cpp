#include "capture/tracer.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <linux/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "bpf/map_layouts.h"
#include "capture/copy_plan.h"
#include "capture/host_facts.h"
#include "capture/load_diagnosis.h"
#include "capture/loss_record.h"
#include "etrace_bpf.skel.h"
#include "format/records.h"

namespace etrace::capture {

namespace {

// `what` is a view, so that naming the failure allocates nothing before
// errno is read.
Error why(std::string_view what, int err) {
  return Error{std::string(what) + ": " + std::strerror(err < 0 ? -err : err)};
}

// Without task storage in tracing programs, a task's state lives in a hash
// map by thread id: room for this many threads at once (allocated as used).
constexpr __u32 kThreadStates = 1u << 18;

// A map the BPF side keeps in task storage, made a hash map by thread id
// (or a stub, when nothing uses it) on kernels without task storage for
// tracing programs.
int storage_as_hash(struct bpf_map* map, __u32 entries) {
  if (int err = bpf_map__set_type(map, BPF_MAP_TYPE_HASH)) return err;
  return bpf_map__set_max_entries(map, entries);
}

}  // namespace

// Read-only data and map sizes: what to trace, and which path each kernel
// feature takes. Nothing here talks to the kernel yet.
Result<void> Tracer::configure(const TraceConfig& config, const KernelFeatures& kernel) {
  auto* ro = skel_->rodata;
  ro->self_tgid = static_cast<__u32>(getpid());
  ro->viewer_tgid = config.viewer_tgid;
  ro->trace_all = config.trace_all;
  ro->filter_comm = !config.comms.empty();
  if (config.cgroup_dirs.size() > ETRACE_MAX_FILTER_CGROUPS)
    return Error{"at most " + std::to_string(ETRACE_MAX_FILTER_CGROUPS) + " cgroups can be given"};
  ro->filter_cgroups = static_cast<__u32>(config.cgroup_dirs.size());
  ro->follow_children = config.follow;
  ro->wakeup_bytes = config.buffer_bytes / 4;
  // Batches of a quarter of the ring at most, and stages of half of it: a
  // stage that could outgrow what the ring takes would never empty.
  ro->stage_batch = static_cast<__u32>(std::min<uint64_t>(ro->stage_batch, config.buffer_bytes / 4));
  ro->stage_limit = static_cast<__u32>(std::min<uint64_t>(ro->stage_limit, config.buffer_bytes / 2));
  ro->bytes_cap = config.plans.bytes_cap;
  ro->string_cap = config.plans.string_cap;
  ro->task_btf = kernel.task_btf;
  bpf_program__set_autoload(skel_->progs.on_task_exit, kernel.exit_group_dead);
  bpf_program__set_autoload(skel_->progs.on_task_exit_legacy, !kernel.exit_group_dead);
  bpf_program__set_autoattach(skel_->progs.flush_stage, false);  // run on demand, never attached
  int err = 0;
  if (!kernel.task_btf) {
    if ((err = storage_as_hash(skel_->maps.task_states, kThreadStates)) ||
        (err = storage_as_hash(skel_->maps.lib_stacks, 1)))
      return why("cannot prepare the per-thread state map", err);
  }
  if ((err = bpf_map__set_max_entries(skel_->maps.events, static_cast<__u32>(config.buffer_bytes))))
    return why("cannot size the ring buffer", err);
  const int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) return why("cannot count the CPUs", ncpu);
  flushed_at_.assign(static_cast<size_t>(ncpu), 0);
  if ((err = bpf_map__set_max_entries(skel_->maps.stages, static_cast<__u32>(ncpu))))
    return why("cannot size the per-CPU stages", err);
  return configure_libraries(config, kernel);
}

// The library-call programs load only when there are functions to trace
// (or --check asks), their maps sized to the number of functions.
Result<void> Tracer::configure_libraries(const TraceConfig& config, const KernelFeatures& kernel) {
  const bool wanted = !config.libraries.functions.empty() || config.load_library_programs;
  if (wanted)
    if (auto usable = kernel.can_trace_library_calls(); !usable) return usable;
  skel_->rodata->lib_calls = wanted;
  bpf_program__set_autoload(skel_->progs.on_lib_enter, wanted);
  bpf_program__set_autoload(skel_->progs.on_lib_exit, wanted);
  const __u32 slots = wanted ? 1 + ETRACE_LIB_SLOTS : 1;
  if (int err = bpf_map__set_max_entries(skel_->maps.records, slots)) return why("cannot size the record slots", err);
  if (!wanted) return {};
  libraries_ = config.libraries;
  library_paths_ = config.library_paths;
  uprobes_ = std::make_unique<UprobeLinks>(kernel.uprobe_multi);
  uprobes_->prepare(skel_->progs.on_lib_enter);
  uprobes_->prepare(skel_->progs.on_lib_exit);
  const auto n = std::max<__u32>(1, static_cast<__u32>(libraries_.functions.size()));
  for (struct bpf_map* map : {skel_->maps.lib_config, skel_->maps.lib_lost})
    if (int err = bpf_map__set_max_entries(map, n)) return why("cannot size the library-call maps", err);
  return {};
}

// Loads the object into the kernel; a refusal is explained from the
// verifier's log. With a log level, each program's statistics are kept.
Result<void> Tracer::load_object(const TraceConfig& config) {
  LibbpfMessages messages(config.verbose);
  ProgramLogs logs(skel_->obj, config.verifier_log_level);
  const uint64_t started = monotonic_ns();
  if (int err = etrace_bpf__load(skel_)) return Error{explain_load_failure(err, messages.text(), logs)};
  load_ns_ = monotonic_ns() - started;
  struct bpf_program* prog;
  bpf_object__for_each_program(prog, skel_->obj) {
    if (!bpf_program__autoload(prog)) continue;
    ProgramStats p;
    p.name = bpf_program__name(prog);
    const VerifierStats v = verifier_stats(logs.of(p.name));
    p.verified_insns = v.insns;
    p.verify_usec = v.usec;
    bpf_prog_info info{};
    __u32 len = sizeof(info);
    if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) == 0 && info.verified_insns)
      p.verified_insns = info.verified_insns;
    programs_.push_back(p);
  }
  return {};
}

Result<std::unique_ptr<Tracer>> Tracer::load(const TraceConfig& config, const KernelFeatures& kernel,
                                             RecordFn on_record) {
  std::unique_ptr<Tracer> t(new Tracer());
  t->on_record_ = std::move(on_record);
  t->skel_ = etrace_bpf__open();
  if (!t->skel_) return why("cannot open the BPF object", errno);
  if (auto configured = t->configure(config, kernel); !configured) return configured.error();
  if (auto loaded = t->load_object(config); !loaded) return loaded.error();
  if (auto filled = t->fill_maps(config); !filled) return filled.error();
  t->ring_ = ring_buffer__new(bpf_map__fd(t->skel_->maps.events), &Tracer::on_sample, t.get(), nullptr);
  if (!t->ring_) return why("cannot map the ring buffer", errno);
  return t;
}

// A multiplexed syscall's commands: their plans into map command_config,
// where to find the command into the syscall's `cfg`.
Result<void> Tracer::fill_command_plans(uint32_t nr, const format::CommandPlans& commands,
                                        etrace_syscall_config& cfg) {
  fill_command_selector(commands, cfg);
  const int fd = bpf_map__fd(skel_->maps.command_config);
  for (const auto& [value, ops] : commands.plans) {
    const etrace_command_key key{nr, value};
    etrace_syscall_config plan{};
    fill_kernel_plan(ops, plan);
    if (int err = bpf_map_update_elem(fd, &key, &plan, BPF_ANY))
      return why("cannot configure the commands of multiplexed syscalls", err);
  }
  return {};
}

// What to trace, written into the loaded maps.
Result<void> Tracer::fill_maps(const TraceConfig& config) {
  const int lib_fd = bpf_map__fd(skel_->maps.lib_config);
  for (uint32_t i = 0; i < libraries_.functions.size(); ++i) {
    const etrace_syscall_config cfg = library_kernel_config(libraries_.functions[i]);
    if (int err = bpf_map_update_elem(lib_fd, &i, &cfg, BPF_ANY))
      return why("cannot configure the library functions to trace", err);
  }

  // One entry per syscall: whether to trace it, and what to copy.
  std::map<uint32_t, etrace_syscall_config> configs;
  for (uint32_t nr : config.syscalls) configs[nr].flags |= ETRACE_SC_TRACE;
  for (uint32_t nr : config.exec_syscalls) configs[nr].flags |= ETRACE_SC_EXEC;
  for (auto& [nr, cfg] : configs) {
    if (auto it = config.plans.syscalls.find(nr); it != config.plans.syscalls.end()) fill_kernel_plan(it->second, cfg);
    if (auto it = config.plans.commands.find(nr); it != config.plans.commands.end())
      if (auto filled = fill_command_plans(nr, it->second, cfg); !filled) return filled;
  }
  const int cfg_fd = bpf_map__fd(skel_->maps.syscall_config);
  for (const auto& [nr, cfg] : configs) {
    if (nr >= ETRACE_MAX_SYSCALLS) continue;
    if (int err = bpf_map_update_elem(cfg_fd, &nr, &cfg, BPF_ANY))
      return why("cannot configure the syscalls to trace", err);
  }

  const int comm_fd = bpf_map__fd(skel_->maps.target_comms);
  for (const auto& name : config.comms) {
    char key[ETRACE_COMM_LEN] = {};
    std::strncpy(key, name.c_str(), sizeof(key) - 1);
    __u8 one = 1;
    if (int err = bpf_map_update_elem(comm_fd, key, &one, BPF_ANY))
      return why("cannot set the command-name filter", err);
  }

  // The kernel keeps its own reference to each cgroup; our descriptors can go.
  const int cgroup_fd = bpf_map__fd(skel_->maps.target_cgroups);
  for (__u32 i = 0; i < config.cgroup_dirs.size(); ++i) {
    const int dir = open(config.cgroup_dirs[i].c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return why("cannot open the cgroup " + config.cgroup_dirs[i], errno);
    const int err = bpf_map_update_elem(cgroup_fd, &i, &dir, BPF_ANY);
    close(dir);
    if (err) return why("cannot set the cgroup filter", err);
  }
  return {};
}

Tracer::~Tracer() {
  uprobes_.reset();
  ring_buffer__free(ring_);
  etrace_bpf__destroy(skel_);
}

Result<void> Tracer::add_target(uint32_t tgid, uint32_t flags) {
  if (int err = bpf_map_update_elem(bpf_map__fd(skel_->maps.target_pids), &tgid, &flags, BPF_ANY))
    return why("cannot add a process to the filter", err);
  targets_.push_back(tgid);
  return {};
}

Result<void> Tracer::attach() {
  // Exits first: a call that enters between the two attachments would
  // otherwise have its entry recorded and never its exit. The skeleton
  // attaches the rest, skipping programs already linked.
  skel_->links.on_sys_exit = bpf_program__attach(skel_->progs.on_sys_exit);
  if (!skel_->links.on_sys_exit) return why("cannot attach to the sys_exit tracepoint", errno);
  if (int err = etrace_bpf__attach(skel_)) return why("cannot attach to the syscall tracepoints", err);
  if (!uprobes_) return {};
  return uprobes_->attach(skel_->progs.on_lib_enter, skel_->progs.on_lib_exit, libraries_, library_paths_, targets_);
}

void Tracer::detach() {
  if (uprobes_) uprobes_->detach();
  // Entries first, for the same reason: a call under way still gets its exit.
  bpf_link__destroy(skel_->links.on_sys_enter);
  skel_->links.on_sys_enter = nullptr;
  etrace_bpf__detach(skel_);
}

int Tracer::on_sample(void* self, void* data, size_t size) {
  auto* t = static_cast<Tracer*>(self);
  if (!t->merger_.add_run({static_cast<const uint8_t*>(data), size})) ++t->unreadable_batches_;
  return 0;
}

bool Tracer::flush_cpu(uint32_t cpu) {
  for (int attempt = 0; attempt < kFlushAttempts; ++attempt) {
    LIBBPF_OPTS(bpf_test_run_opts, opts, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = cpu);
    const int err = bpf_prog_test_run_opts(bpf_program__fd(skel_->progs.flush_stage), &opts);
    if (err == -ENXIO) return true;  // offline: nothing runs there
    if (err == 0 && opts.retval == 0) return true;
  }
  return false;
}

int Tracer::try_flush() const {
  for (uint32_t cpu = 0; cpu < flushed_at_.size(); ++cpu) {
    LIBBPF_OPTS(bpf_test_run_opts, opts, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = cpu);
    const int err = bpf_prog_test_run_opts(bpf_program__fd(skel_->progs.flush_stage), &opts);
    if (err && err != -ENXIO) return err;
  }
  return 0;
}

bool Tracer::flush_stages(int& consumed) {
  const uint64_t now = monotonic_ns();
  bool all = true;
  for (uint32_t cpu = 0; cpu < flushed_at_.size(); ++cpu) {
    if (flush_cpu(cpu)) flushed_at_[cpu] = now;
    else all = false;
  }
  consumed = ring_buffer__consume(ring_);
  return all;
}

int Tracer::poll(int timeout_ms) {
  // The kernel side wakes us only past a fill watermark (see wake_flags()
  // in bpf/etrace.bpf.c), so every wait ends with a round: each CPU hands
  // over its batch, the ring is drained, and what every CPU has surely
  // handed over is delivered in time order.
  int n = ring_buffer__poll(ring_, timeout_ms);
  if (n < 0 && n != -EINTR) return n;
  flush_stages(n);
  if (n < 0) return n;
  uint64_t horizon = UINT64_MAX;
  for (uint64_t t : flushed_at_) horizon = std::min(horizon, t);
  // A record is stamped just before it is staged: the slack covers the
  // stamp of one still on its way when its CPU was flushed.
  merger_.release(horizon > kStampSlackNs ? horizon - kStampSlackNs : 0, on_record_);
  return n;
}

int Tracer::drain() {
  // After detach(): nothing writes any more, so a few rounds empty every stage.
  int n = 0;
  for (int round = 0; round < kDrainRounds; ++round) {
    int got = 0;
    const bool all = flush_stages(got);
    if (got > 0) n += got;
    if (all) break;
  }
  merger_.release_all(on_record_);
  return n;
}

uint64_t KernelLoss::total() const {
  uint64_t n = process_records + hook_misses;
  for (const auto& [nr, count] : by_syscall) n += count;
  for (const auto& [index, count] : by_function) n += count;
  return n;
}

std::vector<std::vector<uint8_t>> Tracer::open_gaps(uint64_t now_ns) const {
  std::vector<std::vector<uint8_t>> out;
  const int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) return out;
  std::vector<etrace_loss> per_cpu(static_cast<size_t>(ncpu));
  const uint32_t zero = 0;
  if (bpf_map_lookup_elem(bpf_map__fd(skel_->maps.gaps), &zero, per_cpu.data()) != 0) return out;
  for (int cpu = 0; cpu < ncpu; ++cpu) {
    const etrace_loss& g = per_cpu[static_cast<size_t>(cpu)];
    if (g.count) out.push_back(loss_record(static_cast<uint32_t>(cpu), {g.count, g.first_ts_ns, g.last_ts_ns}, now_ns));
  }
  return out;
}

KernelLoss Tracer::losses() const {
  KernelLoss out;
  struct bpf_program* prog;
  bpf_object__for_each_program(prog, skel_->obj) {
    if (!bpf_program__autoload(prog)) continue;
    bpf_prog_info info{};
    __u32 len = sizeof(info);
    if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) == 0) out.hook_misses += info.recursion_misses;
  }
  const int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) return out;
  std::vector<etrace_loss> per_cpu(static_cast<size_t>(ncpu));
  // Slot `slot` of a loss map, added to `count` and to the CPUs' totals.
  auto add = [&](int fd, uint32_t slot, uint64_t& count) {
    if (bpf_map_lookup_elem(fd, &slot, per_cpu.data()) != 0) return;
    for (int cpu = 0; cpu < ncpu; ++cpu) {
      const etrace_loss& l = per_cpu[static_cast<size_t>(cpu)];
      if (l.count == 0) continue;
      count += l.count;
      auto& c = out.by_cpu[static_cast<uint32_t>(cpu)];
      c.first_ns = c.lost == 0 ? l.first_ts_ns : std::min<uint64_t>(c.first_ns, l.first_ts_ns);
      c.last_ns = std::max<uint64_t>(c.last_ns, l.last_ts_ns);
      c.lost += l.count;
    }
  };
  const int fd = bpf_map__fd(skel_->maps.lost);
  for (uint32_t slot = 0; slot < ETRACE_MAX_SYSCALLS; ++slot) {
    uint64_t n = 0;
    add(fd, slot, n);
    if (n) out.by_syscall[slot] = n;
  }
  add(fd, ETRACE_MAX_SYSCALLS, out.process_records);
  const int lib_fd = bpf_map__fd(skel_->maps.lib_lost);
  for (uint32_t i = 0; i < libraries_.functions.size(); ++i) {
    uint64_t n = 0;
    add(lib_fd, i, n);
    if (n) out.by_function[i] = n;
  }
  return out;
}

}  // namespace etrace::capture
