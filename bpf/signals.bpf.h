/* Signal records (etrace_signal): what a ptrace-based tracer sees as the
 * thread stops for a signal. */
#ifndef ETRACE_SIGNALS_BPF_H
#define ETRACE_SIGNALS_BPF_H

/* The kernel's enum trace_signal_result, and the special siginfo pointers
 * of send_signal(): no siginfo (from a user's kill), or the kernel's. */
#define TRACE_SIGNAL_IGNORED 1
#define SEND_SIG_NOINFO 0
#define SEND_SIG_PRIV 1

#define SI_USER 0
#define SI_KERNEL 0x80

/* A signal record for thread `tid` of `tgid`, its siginfo read from `info`
 * (a kernel address, or one of the special pointers: then made as the
 * kernel would make it for the receiver). */
static __always_inline void emit_signal(__u64 pid_tgid, int sig, struct kernel_siginfo *info, __u32 kind,
					__u64 handler, __u64 sa_flags, __u32 sender_tgid)
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
	r->sender_tgid = sender_tgid;
	r->reserved = 0;
	__builtin_memset(r->info, 0, sizeof(r->info));
	fields = (int *)r->info;
	if ((unsigned long)info > SEND_SIG_PRIV) {
		bpf_probe_read_kernel(r->info, sizeof(r->info), info);
	} else {
		fields[0] = sig;
		fields[2] = (unsigned long)info == SEND_SIG_PRIV ? SI_KERNEL : SI_USER;
		if ((unsigned long)info == SEND_SIG_NOINFO) {
			fields[4] = sender_tgid;                        /* si_pid */
			fields[5] = (__u32)bpf_get_current_uid_gid();   /* si_uid */
		}
	}
	rec_submit(false, r);
}

#endif
