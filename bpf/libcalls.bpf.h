/* Library calls: uprobes at the entry and return of library functions.
 * User space attaches them with the function's index as the attach cookie;
 * lib_config holds each function's copy plan, built from its prototype.
 * Filters are the syscalls' (task_states). Loaded only where the kernel
 * has attach cookies (5.15) and task storage in tracing programs (5.13). */
#ifndef ETRACE_LIBCALLS_BPF_H
#define ETRACE_LIBCALLS_BPF_H

/* The library calls under way in a task, innermost last. Return probes
 * fire in LIFO order per thread; the return needs its call's arguments (an
 * output buffer's address) once the registers no longer hold them. */
#define LIB_MAX_FRAMES 16
struct lib_frame {
	__u32 func;
	__u32 refetch; /* ops whose input could not be read at entry: read again at return */
	__u64 args[ETRACE_SYSCALL_ARGS];
};

struct lib_stack {
	__u32 depth; /* calls under way; those past LIB_MAX_FRAMES are counted, not kept */
	__u32 reserved;
	/* Calls past LIB_MAX_FRAMES all write the slot after the kept ones: the
	 * entry finds its frame without a branch. */
	struct lib_frame frames[2 * LIB_MAX_FRAMES];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct lib_stack);
} lib_stacks SEC(".maps");

/* The frame of the call at `depth`: min(depth, LIB_MAX_FRAMES) without a
 * branch (`over` is all ones past LIB_MAX_FRAMES). */
static __always_inline struct lib_frame *frame_at(struct lib_stack *stack, __u32 depth)
{
	__u32 over = (__u32)(((__s64)LIB_MAX_FRAMES - 1 - depth) >> 63);

	return &stack->frames[((depth & ~over) | (LIB_MAX_FRAMES & over)) & (2 * LIB_MAX_FRAMES - 1)];
}

/* The frame of the call of `func` that returns, below `top`. A longjmp out
 * of traced calls skips their returns, so it may lie below the top; frames
 * past LIB_MAX_FRAMES are not kept, and their order is trusted. */
static __always_inline __u32 returning_frame(const struct lib_stack *stack, __u32 top, __u32 func)
{
	__u32 d = top;

	if (top >= LIB_MAX_FRAMES)
		return top;
	for (int i = 0; i < LIB_MAX_FRAMES; i++) {
		if (stack->frames[d & (LIB_MAX_FRAMES - 1)].func == func)
			return d;
		if (d == 0)
			break;
		d--;
	}
	return top;
}

/* The probed function (the attach cookie), its configuration, and the
 * current task's state when its calls are recorded: once its syscalls are
 * (a command held for run-a-command mode from its execve on). */
static __always_inline struct task_state *lib_probe_start(struct pt_regs *ctx, __u32 *func,
							  struct etrace_syscall_config **cfg)
{
	struct task_state *st;

	*func = bpf_get_attach_cookie(ctx);
	*cfg = bpf_map_lookup_elem(&lib_config, func);
	if (!*cfg)
		return NULL;
	st = current_state();
	if (!st || (st->flags & (ETRACE_TARGET_TRACED | ETRACE_TARGET_FROM_EXEC)) != ETRACE_TARGET_TRACED ||
	    !current_cgroup_allows(st))
		return NULL;
	return st;
}

/* A library record's fixed part after its header. */
static __always_inline void fill_lib(void *record, __u32 func, __u32 depth, const __u64 *args, long ret,
				     bool at_exit)
{
	if (at_exit) {
		struct etrace_lib_exit *r = record;

		r->func = func;
		r->depth = depth;
		r->ret = ret;
	} else {
		struct etrace_lib_enter *r = record;

		r->func = func;
		r->depth = depth;
		__builtin_memcpy(r->args, args, sizeof(r->args));
	}
}

/* A library record, straight into the ring: the fixed part, then what the
 * function's plan copies at this end of the call, built in library slot
 * `slot`. An input not yet paged in at entry (a string in .rodata the
 * program had not touched) is read again at return, when the function has
 * read it: the entry leaves those ops in its frame's refetch, the return
 * takes them in `refetch`. Returns the ops to read again. */
static __always_inline __u32 emit_lib(__u32 slot, const struct etrace_syscall_config *cfg, const __u64 *args,
				      long ret, __u32 func, __u32 depth, bool at_exit, __u32 refetch, __u64 ts)
{
	const __u32 size = at_exit ? sizeof(struct etrace_lib_exit) : sizeof(struct etrace_lib_enter);
	const __u16 type = at_exit ? ETRACE_REC_LIB_EXIT : ETRACE_REC_LIB_ENTER;
	struct record_buf *b;
	void *r;

	if (!(cfg->flags & (at_exit ? ETRACE_SC_COPY_AT_EXIT : ETRACE_SC_COPY_AT_ENTER)) && !refetch) {
		r = rec_reserve(true, size, type, ETRACE_NR_UNKNOWN, ts, &lib_lost, func);
		if (!r)
			return 0;
		fill_lib(r, func, depth, args, ret, at_exit);
		rec_submit(true, r);
		return 0;
	}
	b = record_at(slot);
	if (!b)
		return 0;
	fill_header((void *)b->data, 0, type, ETRACE_NR_UNKNOWN, ts, bpf_get_current_pid_tgid(),
		    bpf_get_smp_processor_id());
	fill_lib(b->data, func, depth, args, ret, at_exit);
	__builtin_memcpy(b->args, args, ETRACE_SYSCALL_ARGS * sizeof(__u64));
	b->args[ARG_RET] = ret;
	record_start(b, size, PLAN_LIBRARY, func, at_exit, refetch);
	copy_plan(slot);
	record_submit(slot, true, ts, &lib_lost, func);
	b = record_at(slot);
	return b ? b->refetch : 0;
}

#endif
