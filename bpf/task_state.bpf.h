/* Each task's state (its filter verdict, the syscall under way, the context
 * last recorded) and the filters that decide it. Kept in task storage where
 * tracing programs have it (Linux 5.13); elsewhere in a hash map by thread
 * id that user space makes of the same map (capture/tracer.cpp), emptied as
 * threads exit. */
#ifndef ETRACE_TASK_STATE_BPF_H
#define ETRACE_TASK_STATE_BPF_H

enum task_state_flags {
	TASK_DECIDED = 1u << 8,
	TASK_ANNOUNCED = 1u << 9,   /* its etrace_task record was written */
	TASK_CGROUP_OUT = 1u << 10, /* outside the --cgroup filter, as of filter_css */
};

struct task_state {
	__u32 flags;   /* enum etrace_target_flags | enum task_state_flags */
	__s32 nr;      /* the traced syscall under way, -1 when none: rt_sigreturn leaves orig_ax at -1 */
	__u32 refetch; /* ops of the call under way whose input could not be read at enter */
	__u32 reserved;
	/* The objects behind the context last recorded (etrace_context). The
	 * kernel installs a new one on every change (commit_creds(),
	 * switch_task_namespaces(), a cgroup migration), so comparing the
	 * pointers is all a traced event costs; 0 before the first record. */
	__u64 cred;
	__u64 nsproxy;
	__u64 css;
	__u64 filter_css; /* task->cgroups when TASK_CGROUP_OUT was decided */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE); /* BPF_MAP_TYPE_HASH by tid without task_btf */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_state);
} task_states SEC(".maps");

/* The current task, for BPF_CORE_READ only: a trusted BTF pointer where the
 * kernel has bpf_get_current_task_btf(), a plain address before. */
static __always_inline struct task_struct *current_task(void)
{
	if (task_btf)
		return bpf_get_current_task_btf();
	return (struct task_struct *)bpf_get_current_task();
}

/* The objects behind the current task's context, and its css_set. */
struct task_ids {
	__u64 cred, nsproxy, css;
};

static __always_inline struct task_ids current_ids(void)
{
	struct task_ids ids;

	if (task_btf) { /* plain loads */
		struct task_struct *t = bpf_get_current_task_btf();

		ids.cred = (__u64)t->real_cred;
		ids.nsproxy = (__u64)t->nsproxy;
		ids.css = (__u64)t->cgroups;
	} else {
		struct task_struct *t = (struct task_struct *)bpf_get_current_task();

		ids.cred = (__u64)BPF_CORE_READ(t, real_cred);
		ids.nsproxy = (__u64)BPF_CORE_READ(t, nsproxy);
		ids.css = (__u64)BPF_CORE_READ(t, cgroups);
	}
	return ids;
}

/* The state of thread `tid`, `task` (a BTF pointer, NULL for the current
 * task); created zeroed when `create`. */
static __always_inline struct task_state *task_state_of(struct task_struct *task, __u32 tid, bool create)
{
	struct task_state *st;

	if (task_btf) {
		if (!task)
			task = bpf_get_current_task_btf();
		return bpf_task_storage_get(&task_states, task, 0, create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	}
	st = bpf_map_lookup_elem(&task_states, &tid);
	if (!st && create) {
		struct task_state zero = {};

		bpf_map_update_elem(&task_states, &tid, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&task_states, &tid);
	}
	return st;
}

/* A thread is gone: its hash entry goes with it (task storage goes alone). */
static __always_inline void task_state_forget(__u32 tid)
{
	if (!task_btf)
		bpf_map_delete_elem(&task_states, &tid);
}

/* A thread that was not its process's leader exec'd and took the leader's
 * id: its hash entry follows it (task storage is the task's own). */
static __always_inline void task_state_renamed(__u32 old_tid, __u32 tid)
{
	struct task_state *st;

	if (task_btf || old_tid == tid)
		return;
	st = bpf_map_lookup_elem(&task_states, &old_tid);
	if (st)
		bpf_map_update_elem(&task_states, &tid, st, BPF_ANY);
	bpf_map_delete_elem(&task_states, &old_tid);
}

/* The filter verdict of process `tgid` whose name is at kernel address
 * `comm`, or the current task's name when `comm` is NULL. */
static __always_inline __u32 decide(__u32 tgid, const char *comm)
{
	__u32 *pid_flags;

	if (tgid == self_tgid || tgid == viewer_tgid)
		return 0;
	if (trace_all)
		return ETRACE_TARGET_TRACED;
	pid_flags = bpf_map_lookup_elem(&target_pids, &tgid);
	if (pid_flags)
		return *pid_flags;
	if (filter_comm) {
		char key[ETRACE_COMM_LEN] = {};

		if (comm)
			bpf_probe_read_kernel_str(key, sizeof(key), comm);
		else
			bpf_get_current_comm(key, sizeof(key));
		if (bpf_map_lookup_elem(&target_comms, key))
			return ETRACE_TARGET_TRACED;
	}
	return 0;
}

/* The current task's state, its verdict decided on first sight. */
static __always_inline struct task_state *current_state(void)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_state *st = task_state_of(NULL, (__u32)id, true);

	if (st && !(st->flags & TASK_DECIDED)) {
		st->flags = decide(id >> 32, NULL) | TASK_DECIDED;
		st->nr = -1;
	}
	return st;
}

/* Whether the current task is inside one of the --cgroup cgroups. */
static __always_inline bool in_target_cgroups(void)
{
	for (__u32 i = 0; i < ETRACE_MAX_FILTER_CGROUPS && i < filter_cgroups; i++)
		if (bpf_current_task_under_cgroup(&target_cgroups, i) == 1)
			return true;
	return false;
}

/* The --cgroup verdict of the current task (css_set `css`), decided again
 * only when it has moved to another cgroup. */
static __always_inline bool cgroup_allows(struct task_state *st, __u64 css)
{
	if (!filter_cgroups)
		return true;
	if (css != st->filter_css) {
		st->filter_css = css;
		if (in_target_cgroups())
			st->flags &= ~TASK_CGROUP_OUT;
		else
			st->flags |= TASK_CGROUP_OUT;
	}
	return !(st->flags & TASK_CGROUP_OUT);
}

static __always_inline bool current_cgroup_allows(struct task_state *st)
{
	return !filter_cgroups || cgroup_allows(st, current_ids().css);
}

/* Traced as the last verdicts say (any task, not only the current one). */
static __always_inline bool is_traced(const struct task_state *st)
{
	return (st->flags & (ETRACE_TARGET_TRACED | TASK_CGROUP_OUT)) == ETRACE_TARGET_TRACED;
}

/* The current task's state when this syscall is traced, NULL otherwise. A
 * task held back for run-a-command mode starts being traced at its execve,
 * even when -s leaves execve itself out. */
static __always_inline struct task_state *traced(__u32 cfg, bool entering)
{
	struct task_state *st;

	if (!(cfg & (ETRACE_SC_TRACE | ETRACE_SC_EXEC)))
		return NULL;
	st = current_state();
	if (!st)
		return NULL;
	if (st->flags & ETRACE_TARGET_FROM_EXEC) {
		if (!entering || !(cfg & ETRACE_SC_EXEC))
			return NULL;
		st->flags = (st->flags & ~ETRACE_TARGET_FROM_EXEC) | ETRACE_TARGET_TRACED;
	}
	if (!(cfg & ETRACE_SC_TRACE) || !(st->flags & ETRACE_TARGET_TRACED) || !current_cgroup_allows(st))
		return NULL;
	return st;
}

#endif
