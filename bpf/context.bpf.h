/* Process context (etrace_context): who the current task is, recorded when
 * it is first seen and again when its credentials, namespaces or cgroup
 * change. Built like a record with payloads (the executable's path and the
 * cgroup path are items). Every read goes through BPF_CORE_READ, which works
 * on the current task whether or not the kernel gives a BTF pointer to it. */
#ifndef ETRACE_CONTEXT_BPF_H
#define ETRACE_CONTEXT_BPF_H

/* Kernels before 6.15 name kernfs_node's parent `parent`. */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kernfs_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

/* Fills the fixed part of the current task's context record at `r`. */
static __always_inline void fill_context(struct etrace_context *r, struct task_struct *task, __u32 reason)
{
	const struct cred *cred = BPF_CORE_READ(task, real_cred);
	struct nsproxy *nsproxy = BPF_CORE_READ(task, nsproxy);
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	__u32 level = BPF_CORE_READ(pid, level);
	struct upid upid = {};

	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	r->reason = reason;
	r->uid = BPF_CORE_READ(cred, uid.val);
	r->gid = BPF_CORE_READ(cred, gid.val);
	r->suid = BPF_CORE_READ(cred, suid.val);
	r->sgid = BPF_CORE_READ(cred, sgid.val);
	r->euid = BPF_CORE_READ(cred, euid.val);
	r->egid = BPF_CORE_READ(cred, egid.val);
	r->fsuid = BPF_CORE_READ(cred, fsuid.val);
	r->fsgid = BPF_CORE_READ(cred, fsgid.val);
	/* kernel_cap_t is one u64 since 6.3, two u32 before: the same 8 bytes. */
	r->cap_effective = 0;
	bpf_core_read(&r->cap_effective, sizeof(r->cap_effective), &cred->cap_effective);
	r->cgroup_id = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	bpf_core_read(&upid, sizeof(upid), &pid->numbers[level]);
	r->ns[ETRACE_NS_PID] = BPF_CORE_READ(upid.ns, ns.inum);
	r->ns[ETRACE_NS_MNT] = BPF_CORE_READ(nsproxy, mnt_ns, ns.inum);
	r->ns[ETRACE_NS_NET] = BPF_CORE_READ(nsproxy, net_ns, ns.inum);
	r->ns[ETRACE_NS_UTS] = BPF_CORE_READ(nsproxy, uts_ns, ns.inum);
	r->ns[ETRACE_NS_IPC] = BPF_CORE_READ(nsproxy, ipc_ns, ns.inum);
	r->ns[ETRACE_NS_USER] = BPF_CORE_READ(cred, user_ns, ns.inum);
	r->ns[ETRACE_NS_CGROUP] = BPF_CORE_READ(nsproxy, cgroup_ns, ns.inum);
	r->ns[ETRACE_NS_TIME] = BPF_CORE_READ(nsproxy, time_ns, ns.inum);
	__builtin_memset(r->comm, 0, sizeof(r->comm));
	bpf_get_current_comm(r->comm, sizeof(r->comm));
}

/* Writes the current task's context record, built in slot `slot` (staged
 * from the syscall slot, straight into the ring from a library slot).
 * `exe` is the kernel address of the executable's path, 0 for none.
 * 0 when it was written. A global function: verified once. */
__noinline int emit_context(__u32 slot, __u64 ts, __u32 reason, __u64 exe)
{
	struct task_struct *task = current_task();
	struct record_buf *b = record_at(slot);
	struct kernfs_node *kn, *parent;
	struct etrace_context *r;

	if (!b)
		return 1;
	r = (void *)b->data;
	fill_header(&r->h, 0, ETRACE_REC_CONTEXT, ETRACE_NR_UNKNOWN, ts, bpf_get_current_pid_tgid(),
		    bpf_get_smp_processor_id());
	fill_context(r, task, reason);
	b->off = sizeof(*r);
	if (exe)
		put_item(slot, exe, string_cap, 0, ITEM_STRING | ITEM_KERNEL | ETRACE_CTX_ITEM_EXE << 16);
	/* One item per cgroup path component, leaf first; the root has no name. */
	kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
#pragma clang loop unroll(disable)
	for (int i = 0; i < ETRACE_MAX_CGROUP_DEPTH; i++) {
		parent = kernfs_parent(kn);
		if (!parent)
			break;
		put_item(slot, (__u64)BPF_CORE_READ(kn, name), 255, 0,
			 ITEM_STRING | ITEM_KERNEL | ETRACE_CTX_ITEM_CGROUP << 16);
		kn = parent;
	}
	if (kernfs_parent(kn)) /* deeper than we walk: say so */
		put_item(slot, (__u64)kn, 0, 0, ETRACE_PAYLOAD_MORE | ETRACE_CTX_ITEM_CGROUP << 16);
	if (slot == SYS_SLOT)
		return record_submit(SYS_SLOT, false, ts, &lost, LOST_PROCESS);
	return record_submit(slot, true, ts, &lost, LOST_PROCESS);
}

/* Records the current task's context when it has none yet or it changed;
 * then the objects behind it are remembered. */
static __always_inline void note_context(__u32 slot, struct task_state *st, __u64 ts, __u32 reason, __u64 exe)
{
	struct task_ids ids = current_ids();

	if (!reason && ids.cred == st->cred && ids.nsproxy == st->nsproxy && ids.css == st->css)
		return;
	if (!st->cred)
		reason |= ETRACE_CTX_FIRST;
	else {
		if (ids.cred != st->cred)
			reason |= ETRACE_CTX_CREDS;
		if (ids.nsproxy != st->nsproxy)
			reason |= ETRACE_CTX_NS;
		if (ids.css != st->css)
			reason |= ETRACE_CTX_CGROUP;
	}
	if (emit_context(slot, ts, reason, exe))
		return; /* not written: tried again at the task's next event */
	st->cred = ids.cred;
	st->nsproxy = ids.nsproxy;
	st->css = ids.css;
}

#endif
