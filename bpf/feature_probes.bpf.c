// SPDX-License-Identifier: GPL-2.0
/* Tiny programs that etrace-capture loads, one at a time, to learn what
 * this kernel lets tracing programs do where neither BTF nor a helper probe
 * can tell (capture/kernel_features.cpp). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} probe_storage SEC(".maps");

/* bpf_get_current_task_btf() (5.11) and task storage in tracing programs
 * (5.13; the map type alone is 5.11, for LSM programs only). */
SEC("tp_btf/sys_enter")
int BPF_PROG(probe_task_btf, struct pt_regs *regs, long id)
{
	bpf_task_storage_get(&probe_storage, bpf_get_current_task_btf(), 0, 0);
	return 0;
}
