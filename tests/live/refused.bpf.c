// SPDX-License-Identifier: GPL-2.0
/* A program every verifier refuses: it writes the stack at an offset it
 * cannot bound. tests/live/load_refusal_test.cpp loads it. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_enter")
int BPF_PROG(refused_unbounded, struct pt_regs *regs, long id)
{
	volatile char buf[16] = {};
	__u64 i = bpf_get_prandom_u32();

	buf[i] = 1;
	return buf[0];
}
