#include "capture/kernel_features.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <cstring>
#include <memory>

#include "capture/cgroup_filter.h"
#include "capture/tracefs.h"
#include "capture/uprobe_links.h"
#include "etrace_probes.skel.h"

namespace etrace::capture {

namespace {

using BtfPtr = std::unique_ptr<struct btf, decltype(&btf__free)>;

// Whether this kernel's sched_process_exit tracepoint passes group_dead
// (newer kernels): its BTF typedef then takes three arguments (the context
// pointer, the task, group_dead).
bool exit_tracepoint_has_group_dead(const struct btf* vmlinux) {
  const int id = btf__find_by_name_kind(vmlinux, "btf_trace_sched_process_exit", BTF_KIND_TYPEDEF);
  if (id <= 0) return false;
  const struct btf_type* t = btf__type_by_id(vmlinux, btf__type_by_id(vmlinux, id)->type);  // pointer
  if (t && btf_is_ptr(t)) t = btf__type_by_id(vmlinux, t->type);
  return t && btf_is_func_proto(t) && btf_vlen(t) == 3;
}

// Loads the probe program: the kernel lets tracing programs use
// bpf_get_current_task_btf() and task storage. libbpf's messages are
// silenced: a refusal here is an answer, not an error.
bool tracing_programs_have_task_storage() {
  libbpf_print_fn_t previous = libbpf_set_print(nullptr);
  struct etrace_probes* skel = etrace_probes__open_and_load();
  libbpf_set_print(previous);
  etrace_probes__destroy(skel);
  return skel != nullptr;
}

}  // namespace

Result<void> KernelFeatures::can_capture() const {
  std::string missing;
  for (const auto& f : all)
    if (f.required && !f.present) missing += (missing.empty() ? "" : " and ") + f.name + " (Linux " + f.since + ")";
  if (missing.empty()) return {};
  return Error{"this kernel lacks " + missing + ", which etrace-capture needs"};
}

Result<void> KernelFeatures::can_trace_library_calls() const {
  if (!attach_cookie)
    return Error{"library calls need BPF attach cookies for uprobes (Linux 5.15), which this kernel lacks"};
  if (!task_btf)
    return Error{"library calls need task storage in tracing programs (Linux 5.13), which this kernel lacks"};
  return {};
}

KernelFeatures probe_kernel_features() {
  KernelFeatures k;
  BtfPtr vmlinux(btf__load_vmlinux_btf(), btf__free);
  k.btf = vmlinux != nullptr;
  k.ringbuf = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr) == 1;
  k.task_btf = k.btf && tracing_programs_have_task_storage();
  k.attach_cookie = libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_attach_cookie, nullptr) == 1;
  k.uprobe_multi = kernel_has_uprobe_multi();
  k.exit_group_dead = k.btf && exit_tracepoint_has_group_dead(vmlinux.get());
  k.cgroup2 = cgroup2_root().has_value();
  k.tracefs = Tracefs::open().ok();

  k.all = {
      {"kernel BTF (/sys/kernel/btf/vmlinux)", "5.5", k.btf, "", true},
      {"BPF ring buffer", "5.8", k.ringbuf, "", true},
      {"task storage in tracing programs", "5.13", k.task_btf,
       "a task's state is kept in a hash map by thread id, and library calls cannot be traced"},
      {"attach cookies for uprobes", "5.15", k.attach_cookie, "library calls (--lib) cannot be traced"},
      {"multi-uprobe links", "6.6", k.uprobe_multi,
       "each library function takes two links of its own (two descriptors, a slower start)"},
      {"group_dead in sched_process_exit", "", k.exit_group_dead,
       "a process's exit is known from its thread count (the decoder keeps its first)"},
      {"cgroup v2", "4.5", k.cgroup2, "--cgroup and --container cannot be used"},
      {"tracefs", "4.1", k.tracefs, "syscall names come from etrace's own table, without tracepoint formats"},
  };
  return k;
}

}  // namespace etrace::capture
