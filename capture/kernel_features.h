// What this kernel offers that etrace uses, found by probing (BTF, helper
// probes, loading a tiny program), never by comparing version numbers: a
// distribution kernel may carry a feature years before its version says.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace etrace::capture {

struct KernelFeature {
  std::string name;     // "task storage in tracing programs"
  std::string since;    // "5.13": the mainline version that brought it, where it matters
  bool present = false;
  std::string without;  // what etrace does where it is missing
  bool required = false;  // no capture at all without it
};

struct KernelFeatures {
  std::vector<KernelFeature> all;  // in the order --check prints them

  // The paths the BPF object takes (set into its read-only data).
  bool btf = false;
  bool ringbuf = false;
  bool task_btf = false;       // bpf_get_current_task_btf() + task storage in tracing programs
  bool attach_cookie = false;  // bpf_get_attach_cookie() for uprobes
  bool uprobe_multi = false;
  bool exit_group_dead = false;  // sched_process_exit passes group_dead
  bool cgroup2 = false;
  bool tracefs = false;

  // Library calls need both attach cookies and task storage.
  bool library_calls() const { return attach_cookie && task_btf; }
  // Whether a capture can work here; if not, the error names the required
  // features missing, with the version that brought them.
  Result<void> can_capture() const;
  // Whether --lib can work here; if not, the error says why.
  Result<void> can_trace_library_calls() const;
};

// Probes the running kernel. Loading the probe program needs the
// privileges of a capture (CAP_BPF and CAP_PERFMON).
KernelFeatures probe_kernel_features();

}  // namespace etrace::capture
