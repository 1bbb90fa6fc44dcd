/* Signal records (etrace_signal): what a ptrace-based tracer sees as the
 * thread stops for a signal. */
#ifndef ETRACE_SIGNALS_BPF_H
#define ETRACE_SIGNALS_BPF_H

/* The kernel's enum trace_signal_result, and the special siginfo pointers
 * of send_signal(): no siginfo (from a user's kill), or the kernel's. */
#define TRACE_SIGNAL_DELIVERED 0
#define TRACE_SIGNAL_IGNORED 1
#define SEND_SIG_NOINFO 0
#define SEND_SIG_PRIV 1

#define SI_USER 0
#define SI_KERNEL 0x80

#define SIGKILL 9
/* signal_struct.flags: the process is exiting as a whole (sched/signal.h). */
#define SIGNAL_GROUP_EXIT 0x00000004

/* A signal record for thread `tid` of `tgid`, its siginfo read from `info`
 * (a kernel address, or one of the special pointers: then made as the
 * kernel would make it for the receiver, sent by the current task). */
static __always_inline void emit_signal(__u64 pid_tgid, int sig, struct kernel_siginfo *info, __u32 kind,
					__u64 handler, __u64 sa_flags, __u64 sender)
{
	struct etrace_signal *r;
	int *fields;

	r = rec_reserve(false, sizeof(*r), ETRACE_REC_SIGNAL, ETRACE_NR_UNKNOWN, bpf_ktime_get_ns(), &lost,
			LOST_PROCESS);
	if (!r)
		return;
	r->h.tgid = pid_tgid >> 32;
	r->h.tid = (__u32)pid_tgid;
	r->signo = sig;
	r->kind = kind;
	r->handler = handler;
	r->sa_flags = sa_flags;
	r->sender_tgid = sender >> 32;
	r->sender_tid = (__u32)sender;
	__builtin_memset(r->info, 0, sizeof(r->info));
	fields = (int *)r->info;
	if ((unsigned long)info > SEND_SIG_PRIV) {
		bpf_probe_read_kernel(r->info, sizeof(r->info), info);
	} else {
		fields[0] = sig;
		fields[2] = (unsigned long)info == SEND_SIG_PRIV ? SI_KERNEL : SI_USER;
		if ((unsigned long)info == SEND_SIG_NOINFO) {
			fields[4] = sender >> 32;                       /* si_pid */
			fields[5] = (__u32)bpf_get_current_uid_gid();   /* si_uid */
		}
	}
	rec_submit(false, r);
}

/* What a signal generated for `task` (with `result`) is to its receiver:
 * ETRACE_SIGNAL_IGNORED, ETRACE_SIGNAL_FATAL, or 0 when it is queued to be
 * dequeued later (signal_deliver records it then) or dropped. */
static __always_inline __u32 generated_kind(int sig, struct task_struct *task, int result)
{
	unsigned int flags = BPF_CORE_READ(task, signal, flags);

	/* A process already exiting drops every signal as if ignored. */
	if (result == TRACE_SIGNAL_IGNORED)
		return (flags & SIGNAL_GROUP_EXIT) ? 0 : ETRACE_SIGNAL_IGNORED;
	/* A signal whose default action ends the process, to a thread that does
	 * not block it, ends the process there and then (complete_signal()): the
	 * process exits with it as its group exit code, never dequeuing it. */
	if (result == TRACE_SIGNAL_DELIVERED && sig != SIGKILL && (flags & SIGNAL_GROUP_EXIT) &&
	    BPF_CORE_READ(task, signal, group_exit_code) == sig)
		return ETRACE_SIGNAL_FATAL;
	return 0;
}

#endif
