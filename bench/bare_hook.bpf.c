// SPDX-License-Identifier: GPL-2.0
/* The floor of any syscall tracer built on BPF tracepoints: a program on
 * sys_enter and one on sys_exit that return at once. What they cost per
 * syscall is what the kernel takes to run a BPF program there at all. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_enter")
int bare_enter(void *ctx)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int bare_exit(void *ctx)
{
	return 0;
}
