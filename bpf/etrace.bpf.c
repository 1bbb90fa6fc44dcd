// SPDX-License-Identifier: GPL-2.0
/* etrace's kernel side: syscall entry and exit, and the scheduler's process
 * events, filtered by target and written as raw records (format/records.h).
 * Everything per syscall is decided by user space through syscall_config;
 * this file knows no syscall by name or number. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "records.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by user space between open and load. */
const volatile __u32 self_tgid = 0;
const volatile __u8 trace_all = 0;      /* no target given: the whole system */
const volatile __u8 filter_comm = 0;    /* target_comms is in use */
const volatile __u8 follow_children = 1;
const volatile __u64 wakeup_bytes = 1 << 20; /* wake the reader past this much unread data */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* resized by user space */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ETRACE_MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, __u32); /* enum etrace_syscall_flags */
} syscall_config SEC(".maps");

/* Index ETRACE_MAX_SYSCALLS counts process records (task, fork, exec, exit). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ETRACE_MAX_SYSCALLS + 1);
	__type(key, __u32);
	__type(value, struct etrace_loss);
} lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ETRACE_MAX_FILTER_PIDS);
	__type(key, __u32);   /* tgid */
	__type(value, __u32); /* enum etrace_target_flags */
} target_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ETRACE_MAX_FILTER_COMMS);
	__type(key, char[ETRACE_COMM_LEN]);
	__type(value, __u8);
} target_comms SEC(".maps");

/* The filter verdict of each task, decided once (again after exec). */
enum task_state_flags {
	TASK_DECIDED = 1u << 8,
	TASK_ANNOUNCED = 1u << 9, /* its etrace_task record was written */
};

struct task_state {
	__u32 flags;  /* enum etrace_target_flags | enum task_state_flags */
	__s32 nr;     /* the traced syscall under way, -1 when none: rt_sigreturn leaves orig_ax at -1 */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_state);
} task_states SEC(".maps");

/* `comm` is the name to match: the task's own, or the one it is taking. */
static __always_inline __u32 decide_named(struct task_struct *task, const char *comm)
{
	__u32 tgid = task->tgid;
	__u32 *pid_flags;

	if (tgid == self_tgid)
		return 0;
	if (trace_all)
		return ETRACE_TARGET_TRACED;
	pid_flags = bpf_map_lookup_elem(&target_pids, &tgid);
	if (pid_flags)
		return *pid_flags;
	if (filter_comm) {
		char key[ETRACE_COMM_LEN] = {};

		bpf_probe_read_kernel_str(key, sizeof(key), comm);
		if (bpf_map_lookup_elem(&target_comms, key))
			return ETRACE_TARGET_TRACED;
	}
	return 0;
}

static __always_inline __u32 decide(struct task_struct *task)
{
	return decide_named(task, task->comm);
}

static __always_inline struct task_state *state_of(struct task_struct *task)
{
	struct task_state *st;

	st = bpf_task_storage_get(&task_states, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (st && !(st->flags & TASK_DECIDED)) {
		st->flags = decide(task) | TASK_DECIDED;
		st->nr = -1;
	}
	return st;
}

static __always_inline void count_lost(__u32 slot, __u64 ts)
{
	struct etrace_loss *l = bpf_map_lookup_elem(&lost, &slot);

	if (!l)
		return;
	if (!l->count)
		l->first_ts_ns = ts;
	l->last_ts_ns = ts;
	l->count++;
}

static __always_inline void *reserve(__u32 size, __u16 type, __u16 nr, __u64 ts,
				     struct task_struct *task)
{
	struct etrace_header *h = bpf_ringbuf_reserve(&events, size, 0);

	if (!h) {
		count_lost(nr == ETRACE_NR_UNKNOWN ? ETRACE_MAX_SYSCALLS : nr, ts);
		return NULL;
	}
	h->type = type;
	h->size = size;
	h->cpu = bpf_get_smp_processor_id();
	h->nr = nr;
	h->ts_ns = ts;
	/* Every caller's task is a trusted BTF pointer: plain loads, no helper. */
	h->tgid = task->tgid;
	h->tid = task->pid;
	return h;
}

/* Waking the reader costs more than writing a record, so only wake it past
 * a fill watermark (a quarter of the ring, set by user space); otherwise it
 * drains on its own short timer. */
static __always_inline void submit(void *record)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(record, flags);
}

/* A task record: the task's parent and `comm`, its name or the one it takes. */
static __always_inline void emit_task(struct task_struct *task, struct task_state *st, __u64 ts,
				      const char *comm)
{
	struct etrace_task *r;

	r = reserve(sizeof(*r), ETRACE_REC_TASK, ETRACE_NR_UNKNOWN, ts, task);
	if (!r)
		return;
	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	r->reserved = 0;
	bpf_probe_read_kernel_str(&r->comm, sizeof(r->comm), comm);
	submit(r);
	st->flags |= TASK_ANNOUNCED;
}

static __always_inline void announce(struct task_struct *task, struct task_state *st, __u64 ts)
{
	if (!(st->flags & TASK_ANNOUNCED))
		emit_task(task, st, ts, task->comm);
}

static __always_inline __u32 config_of(long id)
{
	__u32 nr = id;
	__u32 *cfg;

	if (id < 0 || nr >= ETRACE_MAX_SYSCALLS)
		return 0;
	cfg = bpf_map_lookup_elem(&syscall_config, &nr);
	return cfg ? *cfg : 0;
}

/* The task's verdict for this syscall, NULL when it is not traced. A task
 * held back for run-a-command mode starts being traced at its execve, even
 * when -s leaves execve itself out. */
static __always_inline struct task_state *traced(struct task_struct *task, __u32 cfg,
						 bool entering)
{
	struct task_state *st;

	if (!(cfg & (ETRACE_SC_TRACE | ETRACE_SC_EXEC)))
		return NULL;
	st = state_of(task);
	if (!st)
		return NULL;
	if (st->flags & ETRACE_TARGET_FROM_EXEC) {
		if (!entering || !(cfg & ETRACE_SC_EXEC))
			return NULL;
		st->flags = (st->flags & ~ETRACE_TARGET_FROM_EXEC) | ETRACE_TARGET_TRACED;
	}
	if (!(cfg & ETRACE_SC_TRACE) || !(st->flags & ETRACE_TARGET_TRACED))
		return NULL;
	return st;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 cfg = config_of(id);
	struct etrace_sys_enter *r;
	struct task_state *st;
	__u64 ts;

	st = traced(task, cfg, true);
	if (!st)
		return 0;
	st->nr = id;
	ts = bpf_ktime_get_ns();
	announce(task, st, ts);
	r = reserve(sizeof(*r), ETRACE_REC_SYS_ENTER, id, ts, task);
	if (!r)
		return 0;
	r->args[0] = regs->di;
	r->args[1] = regs->si;
	r->args[2] = regs->dx;
	r->args[3] = regs->r10;
	r->args[4] = regs->r8;
	r->args[5] = regs->r9;
	submit(r);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	long id = regs->orig_ax;
	struct etrace_sys_exit *r;
	struct task_state *st;
	__u32 cfg;
	__u64 ts;

	if (id < 0) {
		/* A sigreturn restored orig_ax: the number is the one we saw enter. */
		st = bpf_task_storage_get(&task_states, task, 0, 0);
		if (!st)
			return 0;
		id = st->nr;
	}
	cfg = config_of(id);

	st = traced(task, cfg, false);
	if (!st)
		return 0;
	st->nr = -1;
	ts = bpf_ktime_get_ns();
	announce(task, st, ts);
	r = reserve(sizeof(*r), ETRACE_REC_SYS_EXIT, id, ts, task);
	if (!r)
		return 0;
	r->ret = ret;
	submit(r);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	struct task_state *pst = state_of(parent);
	struct task_state *cst;
	struct etrace_fork *r;

	if (!pst || !(pst->flags & ETRACE_TARGET_TRACED))
		return 0;
	if (follow_children) {
		cst = bpf_task_storage_get(&task_states, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (cst) {
			cst->flags = (pst->flags & ~TASK_ANNOUNCED) | TASK_DECIDED;
			cst->nr = -1;
		}
	}
	r = reserve(sizeof(*r), ETRACE_REC_FORK, ETRACE_NR_UNKNOWN, bpf_ktime_get_ns(), parent);
	if (!r)
		return 0;
	r->child_tgid = child->tgid;
	r->child_tid = child->pid;
	submit(r);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *task, pid_t old_pid)
{
	struct task_state *st = state_of(task);
	struct etrace_exec *r;

	if (!st)
		return 0;
	/* A new image has a new comm: a comm filter may now match it. */
	if (filter_comm && !(st->flags & ETRACE_TARGET_TRACED))
		st->flags = decide(task) | TASK_DECIDED;
	if (!(st->flags & ETRACE_TARGET_TRACED))
		return 0;
	r = reserve(sizeof(*r), ETRACE_REC_EXEC, ETRACE_NR_UNKNOWN, bpf_ktime_get_ns(), task);
	if (!r)
		return 0;
	r->old_tid = old_pid;
	r->reserved = 0;
	BPF_CORE_READ_STR_INTO(&r->comm, task, comm);
	submit(r);
	st->flags |= TASK_ANNOUNCED;
	return 0;
}

SEC("tp_btf/task_rename")
int BPF_PROG(on_rename, struct task_struct *task, const char *comm)
{
	struct task_state *st;

	/* The tracepoint fires before task->comm changes: match the new name. */
	st = bpf_task_storage_get(&task_states, task, 0, filter_comm ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (!st)
		return 0;
	if (filter_comm && !(st->flags & ETRACE_TARGET_TRACED))
		st->flags = decide_named(task, comm) | TASK_DECIDED;
	if (st->flags & ETRACE_TARGET_TRACED)
		emit_task(task, st, bpf_ktime_get_ns(), comm);
	return 0;
}

static __always_inline void task_exit(struct task_struct *task, bool group_dead)
{
	struct task_state *st = bpf_task_storage_get(&task_states, task, 0, 0);
	struct etrace_task_exit *r;

	if (!st || !(st->flags & ETRACE_TARGET_TRACED))
		return;
	r = reserve(sizeof(*r), ETRACE_REC_EXIT, ETRACE_NR_UNKNOWN, bpf_ktime_get_ns(), task);
	if (!r)
		return;
	r->exit_code = BPF_CORE_READ(task, exit_code);
	r->group_dead = group_dead;
	submit(r);
}

/* Kernels whose tracepoint says whether this thread was the last one (user
 * space loads exactly one of these two programs, after probing BTF). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_task_exit, struct task_struct *task, bool group_dead)
{
	task_exit(task, group_dead);
	return 0;
}

/* Older kernels: signal->live reached zero. Threads dying together can both
 * see zero, so the decoder keeps only a process's first such exit. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_task_exit_legacy, struct task_struct *task)
{
	task_exit(task, BPF_CORE_READ(task, signal, live.counter) == 0);
	return 0;
}
