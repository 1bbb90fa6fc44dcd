// What etrace-capture needs from the kernel, checked from its effective
// capabilities, not its uid: root, or any user given the capabilities.
//
//   CAP_BPF       load BPF programs and create their maps (Linux 5.8+)
//   CAP_PERFMON   tracing programs (tp_btf, raw_tp, uprobes), reading kernel
//                 and user memory from them (Linux 5.8+)
//   CAP_SYS_ADMIN instead of both, on kernels older than 5.8; and to mount
//                 tracefs where it is not mounted
//
// A user other than root also needs to read tracefs (root's, mode 0700):
// CAP_DAC_READ_SEARCH. Without CAP_SYS_PTRACE, other users' processes
// already running are snapshotted without their descriptors and
// executable, and their mappings (--lib) cannot be read. Kernels before 5.11 charge BPF maps to RLIMIT_MEMLOCK,
// which libbpf raises (CAP_SYS_RESOURCE, or a high enough limit).
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace etrace::capture {

struct Capabilities {
  uint64_t effective = 0;  // bit N: capability N
  int last_cap = 0;        // the kernel's highest capability (/proc/sys/kernel/cap_last_cap)

  // This process's.
  static Capabilities of_this_process();
  bool has(int cap) const { return cap >= 0 && cap < 64 && (effective >> cap & 1); }
};

// Whether `caps` let etrace-capture load and attach its programs; if not,
// the error names the capabilities missing.
Result<void> can_trace(const Capabilities& caps);

// Whether the syscall events under tracefs `root` can be read; if not, the
// error says what stands in the way.
Result<void> can_read_tracefs(const std::string& root, const Capabilities& caps);

}  // namespace etrace::capture
