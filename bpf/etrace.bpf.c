// SPDX-License-Identifier: GPL-2.0
/* etrace's kernel side: syscall entry and exit, the scheduler's process
 * events and library calls, filtered by target and written as raw records
 * (format/records.h). Everything per syscall is decided by user space
 * through syscall_config; this file knows no syscall by name or number.
 * The helpers live in headers by concern, in the order they build on each
 * other; how the design keeps the verifier's work small is in README.md. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "map_layouts.h"

#include "maps.bpf.h"
#include "task_state.bpf.h"
#include "stage.bpf.h"
#include "copier.bpf.h"
#include "context.bpf.h"
#include "libcalls.bpf.h"
#include "signals.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* A task record: the parent of `task` (the current task, or a BTF pointer)
 * and its name at kernel address `comm` (NULL: the current task's). */
static __always_inline void emit_task(bool direct, struct task_struct *task, __u64 pid_tgid, struct task_state *st,
				      __u64 ts, const char *comm)
{
	struct etrace_task *r;

	r = rec_reserve(direct, sizeof(*r), ETRACE_REC_TASK, ETRACE_NR_UNKNOWN, ts, &lost, LOST_PROCESS);
	if (!r)
		return;
	r->h.tgid = pid_tgid >> 32;
	r->h.tid = (__u32)pid_tgid;
	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	r->reserved = 0;
	__builtin_memset(r->comm, 0, sizeof(r->comm));
	if (comm)
		bpf_probe_read_kernel_str(&r->comm, sizeof(r->comm), comm);
	else
		bpf_get_current_comm(&r->comm, sizeof(r->comm));
	rec_submit(direct, r);
	st->flags |= TASK_ANNOUNCED;
}

/* The current task's task and context records, when due: staged from the
 * syscall slot, or (`direct`, from a library slot) straight into the ring. */
static __always_inline void announce(__u32 slot, bool direct, struct task_state *st, __u64 ts)
{
	if (!(st->flags & TASK_ANNOUNCED))
		emit_task(direct, current_task(), bpf_get_current_pid_tgid(), st, ts, NULL);
	note_context(slot, st, ts, 0, 0);
}

static __always_inline struct etrace_syscall_config *config_of(long id)
{
	__u32 nr = id;

	if (id < 0 || nr >= ETRACE_MAX_SYSCALLS)
		return NULL;
	return bpf_map_lookup_elem(&syscall_config, &nr);
}

/* A syscall record with its payloads, built in the syscall slot. */
static __always_inline void emit_with_payloads(struct task_state *st, const struct etrace_syscall_config *cfg,
					       struct pt_regs *regs, long id, long ret, bool at_exit, __u64 ts)
{
	struct record_buf *b = record_at(SYS_SLOT);
	__u32 fixed;

	if (!b)
		return;
	b->args[0] = regs->di;
	b->args[1] = regs->si;
	b->args[2] = regs->dx;
	b->args[3] = regs->r10;
	b->args[4] = regs->r8;
	b->args[5] = regs->r9;
	b->args[ARG_RET] = ret;
	b->args[ARG_SP] = regs->sp;
	if (at_exit) {
		struct etrace_sys_exit *r = (void *)b->data;

		r->ret = ret;
		fixed = sizeof(*r);
		fill_header(&r->h, 0, ETRACE_REC_SYS_EXIT, id, ts, bpf_get_current_pid_tgid(), bpf_get_smp_processor_id());
	} else {
		struct etrace_sys_enter *r = (void *)b->data;

		__builtin_memcpy(r->args, b->args, sizeof(r->args));
		fixed = sizeof(*r);
		fill_header(&r->h, 0, ETRACE_REC_SYS_ENTER, id, ts, bpf_get_current_pid_tgid(), bpf_get_smp_processor_id());
	}
	record_start(b, fixed, PLAN_SYSCALL, id, at_exit, at_exit ? st->refetch : 0);
	choose_command_plan(b, cfg);
	copy_plan(SYS_SLOT);
	record_submit(SYS_SLOT, false, ts, &lost, id);
	b = record_at(SYS_SLOT);
	st->refetch = at_exit || !b ? 0 : b->refetch;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct etrace_syscall_config *cfg = config_of(id);
	struct etrace_sys_enter *r;
	struct task_state *st;
	__u64 ts;

	if (!cfg)
		return 0;
	st = traced(cfg->flags, true);
	if (!st)
		return 0;
	st->nr = id;
	st->refetch = 0;
	ts = bpf_ktime_get_ns();
	announce(SYS_SLOT, false, st, ts);
	if (cfg->flags & ETRACE_SC_COPY_AT_ENTER) {
		emit_with_payloads(st, cfg, regs, id, 0, false, ts);
		return 0;
	}
	r = rec_reserve(false, sizeof(*r), ETRACE_REC_SYS_ENTER, id, ts, &lost, id);
	if (!r)
		return 0;
	r->args[0] = regs->di;
	r->args[1] = regs->si;
	r->args[2] = regs->dx;
	r->args[3] = regs->r10;
	r->args[4] = regs->r8;
	r->args[5] = regs->r9;
	rec_submit(false, r);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	struct etrace_syscall_config *cfg;
	long id = regs->orig_ax;
	struct etrace_sys_exit *r;
	struct task_state *st;
	__u64 ts;

	if (id < 0) {
		/* A sigreturn restored orig_ax: the number is the one we saw enter. */
		st = task_state_of(NULL, (__u32)bpf_get_current_pid_tgid(), false);
		if (!st)
			return 0;
		id = st->nr;
	}
	cfg = config_of(id);
	if (!cfg)
		return 0;
	st = traced(cfg->flags, false);
	if (!st)
		return 0;
	st->nr = -1;
	ts = bpf_ktime_get_ns();
	announce(SYS_SLOT, false, st, ts);
	if (((cfg->flags & ETRACE_SC_COPY_AT_EXIT) && ret >= 0) || st->refetch) {
		emit_with_payloads(st, cfg, regs, id, ret, true, ts);
		return 0;
	}
	r = rec_reserve(false, sizeof(*r), ETRACE_REC_SYS_EXIT, id, ts, &lost, id);
	if (!r)
		return 0;
	r->ret = ret;
	rec_submit(false, r);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	struct task_state *pst = current_state(); /* the parent forks */
	struct task_state *cst;
	struct etrace_fork *r;
	__u32 child_tid = child->pid;

	if (!pst || !(pst->flags & ETRACE_TARGET_TRACED) || !current_cgroup_allows(pst))
		return 0;
	if (follow_children) {
		cst = task_state_of(child, child_tid, true);
		if (cst) {
			cst->flags = (pst->flags & ~TASK_ANNOUNCED) | TASK_DECIDED;
			cst->nr = -1;
			cst->refetch = 0;
		}
	}
	r = rec_reserve(false, sizeof(*r), ETRACE_REC_FORK, ETRACE_NR_UNKNOWN, bpf_ktime_get_ns(), &lost, LOST_PROCESS);
	if (!r)
		return 0;
	r->child_tgid = child->tgid;
	r->child_tid = child_tid;
	rec_submit(false, r);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_state *st;
	struct lib_stack *stack;
	struct etrace_exec *r;
	__u64 ts;

	task_state_renamed(old_pid, task->pid);
	st = current_state();
	if (!st)
		return 0;
	/* The library calls under way (execve's caller) never return to the new image. */
	if (lib_calls) {
		stack = bpf_task_storage_get(&lib_stacks, task, 0, 0);
		if (stack)
			stack->depth = 0;
	}
	/* A new image has a new comm: a comm filter may now match it. */
	if (filter_comm && !(st->flags & ETRACE_TARGET_TRACED)) {
		st->flags = decide(task->tgid, NULL) | TASK_DECIDED;
		st->filter_css = 0;
	}
	if (!(st->flags & ETRACE_TARGET_TRACED) || !current_cgroup_allows(st))
		return 0;
	ts = bpf_ktime_get_ns();
	/* The new image's context comes first, so that the exec event has it,
	 * with the image's path as exec resolved it (a script's interpreter). */
	note_context(SYS_SLOT, st, ts, ETRACE_CTX_EXEC, (__u64)BPF_CORE_READ(bprm, interp));
	r = rec_reserve(false, sizeof(*r), ETRACE_REC_EXEC, ETRACE_NR_UNKNOWN, ts, &lost, LOST_PROCESS);
	if (!r)
		return 0;
	r->old_tid = old_pid;
	r->reserved = 0;
	__builtin_memset(r->comm, 0, sizeof(r->comm));
	bpf_get_current_comm(&r->comm, sizeof(r->comm));
	rec_submit(false, r);
	st->flags |= TASK_ANNOUNCED;
	return 0;
}

SEC("tp_btf/task_rename")
int BPF_PROG(on_rename, struct task_struct *task, const char *comm)
{
	__u64 pid_tgid = (__u64)task->tgid << 32 | (__u32)task->pid;
	struct task_state *st;

	/* The tracepoint fires before task->comm changes: match the new name. */
	st = task_state_of(task, (__u32)pid_tgid, filter_comm);
	if (!st)
		return 0;
	if (filter_comm && !(st->flags & ETRACE_TARGET_TRACED)) {
		st->flags = decide(pid_tgid >> 32, comm) | TASK_DECIDED;
		st->filter_css = 0;
	}
	if (is_traced(st))
		emit_task(false, task, pid_tgid, st, bpf_ktime_get_ns(), comm);
	return 0;
}

static __always_inline void task_exit(struct task_struct *task, bool group_dead)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct task_state *st = task_state_of(NULL, tid, false);
	struct etrace_task_exit *r;

	if (!st)
		return;
	if (is_traced(st)) {
		r = rec_reserve(false, sizeof(*r), ETRACE_REC_EXIT, ETRACE_NR_UNKNOWN, bpf_ktime_get_ns(), &lost,
				LOST_PROCESS);
		if (r) {
			r->exit_code = BPF_CORE_READ(task, exit_code);
			r->group_dead = group_dead;
			rec_submit(false, r);
		}
	}
	task_state_forget(tid);
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

/* A signal the current thread dequeued to act on it. SIGKILL is the
 * kernel's way to end a process whatever the signal that ended it: left to
 * the exit record. */
SEC("tp_btf/signal_deliver")
int BPF_PROG(on_signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	struct task_state *st;

	if (sig == SIGKILL)
		return 0;
	st = task_state_of(NULL, (__u32)bpf_get_current_pid_tgid(), false);
	if (!st || !is_traced(st))
		return 0;
	emit_signal(bpf_get_current_pid_tgid(), sig, info, ETRACE_SIGNAL_DELIVERED, (__u64)BPF_CORE_READ(ka, sa.sa_handler),
		    BPF_CORE_READ(ka, sa.sa_flags), 0);
	return 0;
}

/* A signal sent to `task` that is never dequeued, so signal_deliver never
 * sees it: discarded because `task` ignores it, or fatal at once. */
SEC("tp_btf/signal_generate")
int BPF_PROG(on_signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task, int group, int result)
{
	__u64 pid_tgid = (__u64)task->tgid << 32 | (__u32)task->pid;
	struct task_state *st;
	__u32 kind;

	kind = generated_kind(sig, task, result);
	if (!kind)
		return 0;
	st = task_state_of(task, (__u32)pid_tgid, false);
	if (!st || !is_traced(st))
		return 0;
	emit_signal(pid_tgid, sig, info, kind, 0, 0, bpf_get_current_pid_tgid());
	return 0;
}

/* Hands this CPU's batch to the ring when no record is being written here.
 * Run by user space on each CPU in turn (BPF_PROG_TEST_RUN on a chosen
 * CPU): 0 when the stage is empty, 1 when it is busy or the ring full. */
SEC("raw_tp")
int flush_stage(void *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct stage *s = bpf_map_lookup_elem(&stages, &cpu);

	if (!s)
		return 0;
	if (s->busy)
		return 1;
	return stage_flush(s);
}

/* Loaded as a multi-uprobe program (BPF_TRACE_UPROBE_MULTI) where the
 * kernel has them, as a plain uprobe otherwise: user space decides. */
SEC("uprobe")
int on_lib_enter(struct pt_regs *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct etrace_syscall_config *cfg;
	__u64 args[ETRACE_SYSCALL_ARGS];
	__u32 func, depth, refetch;
	struct lib_frame *frame;
	struct lib_stack *stack;
	struct task_state *st;
	int slot;
	__u64 ts;

	st = lib_probe_start(ctx, &func, &cfg);
	if (!st)
		return 0;
	stack = bpf_task_storage_get(&lib_stacks, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!stack)
		return 0;
	/* The x86-64 function-call registers (rcx, where syscalls have r10). */
	args[0] = ctx->di;
	args[1] = ctx->si;
	args[2] = ctx->dx;
	args[3] = ctx->cx;
	args[4] = ctx->r8;
	args[5] = ctx->r9;
	depth = stack->depth;
	stack->depth = depth + 1;
	frame = frame_at(stack, depth);
	frame->func = func;
	frame->refetch = 0;
	__builtin_memcpy(frame->args, args, sizeof(args));
	ts = bpf_ktime_get_ns();
	slot = claim_lib_slot();
	if (slot < 0) {
		count_lost_in(&lib_lost, func, ts);
		return 0;
	}
	announce(slot, true, st, ts);
	refetch = emit_lib(slot, cfg, args, 0, func, depth, false, 0, ts);
	release_lib_slot(slot);
	/* The frame found again: no call can start in this thread meanwhile. */
	stack = bpf_task_storage_get(&lib_stacks, task, 0, 0);
	if (stack && stack->depth)
		frame_at(stack, stack->depth - 1)->refetch = refetch;
	return 0;
}

SEC("uretprobe")
int on_lib_exit(struct pt_regs *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 args[ETRACE_SYSCALL_ARGS] = {};
	__u32 func, depth = 0, refetch = 0;
	struct etrace_syscall_config *cfg;
	struct lib_stack *stack;
	struct task_state *st;
	long ret = ctx->ax;
	int slot;
	__u64 ts;

	st = lib_probe_start(ctx, &func, &cfg);
	if (!st)
		return 0;
	stack = bpf_task_storage_get(&lib_stacks, task, 0, 0);
	if (stack && stack->depth) {
		stack->depth = returning_frame(stack, stack->depth - 1, func);
		depth = from_map(&stack->depth);
		if (depth < LIB_MAX_FRAMES) {
			__builtin_memcpy(args, stack->frames[depth & (LIB_MAX_FRAMES - 1)].args, sizeof(args));
			refetch = stack->frames[depth & (LIB_MAX_FRAMES - 1)].refetch;
		}
	}
	if (cfg->flags & ETRACE_SC_RET_VOID)
		ret = 0;
	ts = bpf_ktime_get_ns();
	slot = claim_lib_slot();
	if (slot < 0) {
		count_lost_in(&lib_lost, func, ts);
		return 0;
	}
	announce(slot, true, st, ts);
	emit_lib(slot, cfg, args, ret, func, depth, true, refetch, ts);
	release_lib_slot(slot);
	return 0;
}
