// SPDX-License-Identifier: GPL-2.0
/* Reads the running kernel's syscall table (number -> name) from the ftrace
 * syscall metadata, so a capture records the numbering of the kernel it ran
 * on rather than that of the headers etrace was built with. Run once with
 * BPF_PROG_TEST_RUN; user space passes the section bounds from kallsyms. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

#define NAME_LEN 64
#define MAX_ENTRIES 2048

struct syscall_entry {
	__s32 nr;
	char name[NAME_LEN];
};

__u64 meta_start = 0; /* address of __start_syscalls_metadata */
__u32 meta_count = 0; /* number of pointers in that section */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, __u32);
	__type(value, struct syscall_entry);
} syscall_entries SEC(".maps");

static long read_entry(__u32 i, void *ctx)
{
	struct syscall_metadata *meta = NULL;
	struct syscall_entry *e;
	const char *name;

	e = bpf_map_lookup_elem(&syscall_entries, &i);
	if (!e)
		return 1;
	e->nr = -1;
	if (bpf_probe_read_kernel(&meta, sizeof(meta), (void *)(meta_start + i * sizeof(meta))) || !meta)
		return 0;
	e->nr = BPF_CORE_READ(meta, syscall_nr);
	name = BPF_CORE_READ(meta, name);
	bpf_probe_read_kernel_str(e->name, sizeof(e->name), name);
	return 0;
}

SEC("syscall")
int read_syscall_table(void *ctx)
{
	__u32 n = meta_count < MAX_ENTRIES ? meta_count : MAX_ENTRIES;

	bpf_loop(n, read_entry, NULL, 0);
	return 0;
}
