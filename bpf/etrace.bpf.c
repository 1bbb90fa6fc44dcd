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
const volatile __u32 filter_cgroups = 0; /* --cgroup: entries of target_cgroups in use */
const volatile __u64 wakeup_bytes = 1 << 20; /* wake the reader past this much unread data */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* resized by user space */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ETRACE_MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, struct etrace_syscall_config);
} syscall_config SEC(".maps");

/* Records with payloads are built here, then copied into this CPU's stage
 * at their real size, known only once built. Room for a
 * whole record and one more item, so no copy's bounds depend on another's. */
#define SCRATCH_SIZE (ETRACE_MAX_RECORD + ETRACE_MAX_ITEM + 64)
struct scratch {
	/* The record's size so far. Kept here, not on the stack: the verifier
	 * tracks stack values exactly, so a size growing on every loop turn
	 * would never let it see the loop's states converge. */
	__u32 off;
	__u32 reserved;
	char data[SCRATCH_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_space SEC(".maps");

/* Set by user space between open and load (--bytes, --string-limit). */
const volatile __u32 bytes_cap = 256;
const volatile __u32 string_cap = 4096;

/* Records lost on this CPU since its last loss record; user space marks
 * what is left here when capture stops. Array lookups are inlined by the
 * verifier: this costs a few instructions per record. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct etrace_loss);
} gaps SEC(".maps");

static __always_inline struct etrace_loss *gap_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&gaps, &zero);
}

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

/* --cgroup: a task is traced only inside one of these cgroups (or below). */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, ETRACE_MAX_FILTER_CGROUPS);
	__type(key, __u32);
	__type(value, __u32);
} target_cgroups SEC(".maps");

/* The filter verdict of each task, decided once (again after exec). */
enum task_state_flags {
	TASK_DECIDED = 1u << 8,
	TASK_ANNOUNCED = 1u << 9, /* its etrace_task record was written */
	TASK_CGROUP_OUT = 1u << 10, /* outside the --cgroup filter, as of filter_css */
};

struct task_state {
	__u32 flags;  /* enum etrace_target_flags | enum task_state_flags */
	__s32 nr;     /* the traced syscall under way, -1 when none: rt_sigreturn leaves orig_ax at -1 */
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
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_state);
} task_states SEC(".maps");

/* Library calls (see the end of this file). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized by user space: one entry per traced function */
	__type(key, __u32);
	__type(value, struct etrace_syscall_config);
} lib_config SEC(".maps");

/* Records lost per CPU and per function, as `lost` for syscalls. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1); /* resized as lib_config */
	__type(key, __u32);
	__type(value, struct etrace_loss);
} lib_lost SEC(".maps");

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
	 * entry finds its frame without a branch, which the verifier would
	 * follow through the whole copier once per side. */
	struct lib_frame frames[2 * LIB_MAX_FRAMES];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct lib_stack);
} lib_stacks SEC(".maps");

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

/* Waking the reader costs more than writing a record, so only wake it past
 * a fill watermark (a quarter of the ring, set by user space); otherwise it
 * drains on its own short timer. */
static __always_inline __u64 wake_flags(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/* ---- Staging: records are batched per CPU before they enter the ring ----
 * Reserving and committing in the shared ring, and the reader pulling its
 * cache lines to the other core, cost more per record than writing it.
 * Records are appended to this CPU's stage instead and handed to the ring
 * STAGE_BATCH bytes at a time: one ring record holds
 * a run of etrace records, in the order this CPU wrote them. User space
 * hands over what a quiet CPU keeps with flush_stage (below), and puts the
 * CPUs' runs back in time order (capture/record_merger). */
#define STAGE_BYTES (64 << 10)  /* the most a stage holds while the ring is full */

/* Set by user space between open and load, from the ring's size: a batch
 * is handed over past stage_batch bytes, and a stage holds less than
 * stage_limit, which always fits the ring once the reader has drained it. */
const volatile __u32 stage_batch = 16 << 10;
const volatile __u32 stage_limit = STAGE_BYTES;

struct stage {
	__u32 off;   /* bytes staged */
	__u32 busy;  /* a record is being written: flush_stage, which may interrupt it, waits */
	__u32 cpu;
	__u32 reserved;
	/* Room for a whole record past STAGE_BYTES - 1, so that the verifier
	 * sees every write in bounds from the offset's mask alone. */
	char data[STAGE_BYTES + ETRACE_MAX_RECORD];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized by user space: one per possible CPU */
	__type(key, __u32);
	__type(value, struct stage);
} stages SEC(".maps");

/* Every record is written with preemption off, so that no other task's
 * record gets into a stage (or scratch) in the middle of one: the kernel
 * runs tp_btf programs so (__bpf_trace_run() says cant_sleep()), and the
 * uprobe programs, which it does not, turn it off themselves. */
extern void bpf_preempt_disable(void) __ksym;
extern void bpf_preempt_enable(void) __ksym;

/* This CPU's stage, marked busy. */
static __always_inline struct stage *stage_begin(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct stage *s = bpf_map_lookup_elem(&stages, &cpu);

	if (!s)
		return NULL;
	s->busy = 1;
	s->cpu = cpu;
	asm volatile("" ::: "memory"); /* marked busy before it is touched */
	return s;
}

static __always_inline void stage_end(struct stage *s)
{
	asm volatile("" ::: "memory");
	s->busy = 0;
}

/* Hands what the stage holds to the ring; 0 when it is empty after. */
static __always_inline int stage_flush(struct stage *s)
{
	__u32 n = s->off;

	if (!n)
		return 0;
	/* The mask changes nothing (off < STAGE_BYTES) but bounds n for the
	 * verifier; the empty asm keeps clang from proving it useless. */
	asm volatile("" : "+r"(n));
	if (bpf_ringbuf_output(&events, s->data, n & (STAGE_BYTES - 1), wake_flags()))
		return 1;
	s->off = 0;
	return 0;
}

/* Room for `size` bytes (at most ETRACE_MAX_RECORD) at the stage's end,
 * made by flushing when needed; NULL when the ring is full as well. The
 * stage never fills up to stage_limit: off stays below STAGE_BYTES. */
static __always_inline void *stage_reserve(struct stage *s, __u32 size)
{
	__u32 off = s->off;

	if (off + size >= stage_limit) {
		if (stage_flush(s))
			return NULL;
		off = 0;
	}
	return s->data + (off & (STAGE_BYTES - 1));
}

static __always_inline void stage_commit(struct stage *s, __u32 size)
{
	s->off += size;
	if (s->off >= stage_batch)
		stage_flush(s);
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

static __always_inline void fill_header(struct etrace_header *h, __u32 size, __u16 type, __u16 nr, __u64 ts,
					struct task_struct *task, __u32 cpu)
{
	h->type = type;
	h->size = size;
	h->cpu = cpu;
	h->nr = nr;
	h->ts_ns = ts;
	/* Every caller's task is a trusted BTF pointer: plain loads, no helper. */
	h->tgid = task->tgid;
	h->tid = task->pid;
}

/* Records lost on this CPU since its last record are announced in place,
 * before the next record that fits, so the decoder shows the gap where it
 * happened. Returns false when even that could not be written. */
static __always_inline bool announce_gap(struct stage *s, __u64 ts, struct task_struct *task)
{
	struct etrace_loss *g = gap_here();
	struct etrace_loss_record *r;

	if (!g || !g->count)
		return true;
	r = stage_reserve(s, sizeof(*r));
	if (!r)
		return false;
	fill_header(&r->h, sizeof(*r), ETRACE_REC_LOSS, ETRACE_NR_UNKNOWN, ts, task, s->cpu);
	r->count = g->count;
	r->first_ts_ns = g->first_ts_ns;
	r->last_ts_ns = g->last_ts_ns;
	g->count = 0;
	stage_commit(s, sizeof(*r));
	return true;
}

/* A record that found no room: counted in the CPU's gap, and in
 * slot `slot` of a loss map (lost by syscall, lib_lost by function). */
static __always_inline void count_lost_in(void *map, __u32 slot, __u64 ts)
{
	struct etrace_loss *l = bpf_map_lookup_elem(map, &slot);
	struct etrace_loss *g = gap_here();

	if (g) {
		if (!g->count)
			g->first_ts_ns = ts;
		g->last_ts_ns = ts;
		g->count++;
	}
	if (!l)
		return;
	if (!l->count)
		l->first_ts_ns = ts;
	l->last_ts_ns = ts;
	l->count++;
}

/* Room for a record of `size` bytes in this CPU's stage, its header
 * filled; NULL when it was lost. Every record returned is ended by submit(). */
static __always_inline void *reserve_in(__u32 size, __u16 type, __u16 nr, __u64 ts, struct task_struct *task,
					void *loss_map, __u32 loss_slot)
{
	struct stage *s = stage_begin();
	struct etrace_header *h = NULL;

	if (!s)
		return NULL;
	if (announce_gap(s, ts, task))
		h = stage_reserve(s, size);
	if (!h) {
		count_lost_in(loss_map, loss_slot, ts);
		stage_end(s);
		return NULL;
	}
	fill_header(h, size, type, nr, ts, task, s->cpu);
	return h;
}

static __always_inline void submit(void *record)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct stage *s = bpf_map_lookup_elem(&stages, &cpu);

	if (!s)
		return; /* cannot happen: reserve_in() found it */
	stage_commit(s, ((struct etrace_header *)record)->size);
	stage_end(s);
}

static __always_inline void *reserve(__u32 size, __u16 type, __u16 nr, __u64 ts,
				     struct task_struct *task)
{
	return reserve_in(size, type, nr, ts, task, &lost, nr == ETRACE_NR_UNKNOWN ? ETRACE_MAX_SYSCALLS : nr);
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

/* Writes the current task's context record (defined with the payloads:
 * it is built as they are); 0 when it was written. `exe` is a kernel
 * address, 0 when the record carries no executable path. */
__noinline int emit_context(struct task_state *st, __u64 ts, __u32 reason, __u64 exe);

/* Records the task's context when it has none yet or it changed; then the
 * objects behind it are remembered. */
static __always_inline void note_context(struct task_struct *task, struct task_state *st, __u64 ts, __u32 reason,
					 __u64 exe)
{
	__u64 cred = (__u64)task->real_cred, nsproxy = (__u64)task->nsproxy, css = (__u64)task->cgroups;

	if (!reason && cred == st->cred && nsproxy == st->nsproxy && css == st->css)
		return;
	if (!st->cred)
		reason |= ETRACE_CTX_FIRST;
	else {
		if (cred != st->cred)
			reason |= ETRACE_CTX_CREDS;
		if (nsproxy != st->nsproxy)
			reason |= ETRACE_CTX_NS;
		if (css != st->css)
			reason |= ETRACE_CTX_CGROUP;
	}
	if (emit_context(st, ts, reason, exe))
		return; /* not written: tried again at the task's next event */
	st->cred = cred;
	st->nsproxy = nsproxy;
	st->css = css;
}

static __always_inline void announce(struct task_struct *task, struct task_state *st, __u64 ts)
{
	if (!(st->flags & TASK_ANNOUNCED))
		emit_task(task, st, ts, task->comm);
	note_context(task, st, ts, 0, 0);
}

static __always_inline struct etrace_syscall_config *config_of(long id)
{
	__u32 nr = id;

	if (id < 0 || nr >= ETRACE_MAX_SYSCALLS)
		return NULL;
	return bpf_map_lookup_elem(&syscall_config, &nr);
}

/* Whether the current task is inside one of the --cgroup cgroups. */
static __always_inline bool in_target_cgroups(void)
{
	for (__u32 i = 0; i < ETRACE_MAX_FILTER_CGROUPS && i < filter_cgroups; i++)
		if (bpf_current_task_under_cgroup(&target_cgroups, i) == 1)
			return true;
	return false;
}

/* The --cgroup verdict of the current task, decided again only when it
 * has moved to another cgroup (its css_set changed). */
static __always_inline bool cgroup_allows(struct task_struct *task, struct task_state *st)
{
	__u64 css = (__u64)task->cgroups;

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

/* Traced as the last verdicts say (any task, not only the current one). */
static __always_inline bool is_traced(const struct task_state *st)
{
	return (st->flags & (ETRACE_TARGET_TRACED | TASK_CGROUP_OUT)) == ETRACE_TARGET_TRACED;
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
	if (!(cfg & ETRACE_SC_TRACE) || !(st->flags & ETRACE_TARGET_TRACED) || !cgroup_allows(task, st))
		return NULL;
	return st;
}

/* ---- Payloads: user memory copied as the syscall's plan says ------------ */

/* The state of one record being built. Loops run under bpf_loop(), whose
 * callback the verifier checks once instead of once per iteration. */
struct copier {
	struct scratch *sc; /* the record being built */
	bool at_exit;
	__u32 refetch;  /* at enter: ops that faulted; at exit: ops to run again */
	__u64 args[ETRACE_SYSCALL_ARGS];
	long ret;
	const struct etrace_syscall_config *cfg;
	/* the op under way, for the array loops */
	__u8 op;
	const __u64 *vec;
	__u64 left;     /* iovecs at exit: bytes the call transferred, not yet shown */
	__u64 count;    /* elements: the array's length, then how many were seen */
	bool stop;
};

static __always_inline __u64 arg_at(const struct copier *c, __u8 i)
{
	switch (i) {
	case 0: return c->args[0];
	case 1: return c->args[1];
	case 2: return c->args[2];
	case 3: return c->args[3];
	case 4: return c->args[4];
	case 5: return c->args[5];
	default: return c->ret; /* ETRACE_ARG_RET: a library function's result */
	}
}

/* Appends one item to the record in `sc`: a header, then up to `len` bytes
 * read from user address `src` (a string when ITEM_STRING). An item that
 * does not fit the record is shortened, or dropped when not even its header
 * fits. `op_flags` is the op's index << 16 | payload flags. Returns the
 * item's flags.
 *
 * A global function: the verifier checks it once, on its own, instead of
 * at each of its call sites inside every loop callback (which took seconds
 * and most of the 1 M instruction budget). */
#define ITEM_STRING (1u << 8) /* with the payload flags: read a string */
#define ITEM_KERNEL (1u << 9) /* ... from kernel memory */
__noinline int put_item(struct scratch *sc, __u64 src, __u32 want, __u32 full_len, __u32 op_flags)
{
	__u32 flags = op_flags & 0xffff;
	struct etrace_payload *p;
	__u64 off, len = want;
	long n = 0;

	if (!sc)
		return 0;
	off = sc->off;
	if (off > ETRACE_MAX_RECORD - sizeof(*p))
		return flags;
	if (len > ETRACE_MAX_ITEM - 1)
		len = ETRACE_MAX_ITEM - 1;
	if (len > ETRACE_MAX_RECORD - sizeof(*p) - off) {
		len = ETRACE_MAX_RECORD - sizeof(*p) - off;
		flags |= ETRACE_PAYLOAD_CUT;
	}
	p = (void *)(sc->data + off);
	if (!src) {
		flags |= ETRACE_PAYLOAD_NULL;
	} else if (flags & ITEM_STRING) {
		/* One byte more than the cap: a string that fills it is cut. */
		if (flags & ITEM_KERNEL)
			n = bpf_probe_read_kernel_str(p + 1, (len & (ETRACE_MAX_ITEM - 1)) + 1, (const void *)src);
		else
			n = bpf_probe_read_user_str(p + 1, (len & (ETRACE_MAX_ITEM - 1)) + 1, (const void *)src);
		if (n <= 0) {
			flags |= ETRACE_PAYLOAD_FAULT;
			n = 0;
		} else if (n > len) {
			flags |= ETRACE_PAYLOAD_CUT;
			n = len;
			full_len = len;
		} else {
			n -= 1; /* the NUL */
			full_len = n;
		}
	} else if (len) {
		if (bpf_probe_read_user(p + 1, len & (ETRACE_MAX_ITEM - 1), (const void *)src) == 0)
			n = len;
		else
			flags |= ETRACE_PAYLOAD_FAULT;
	}
	if (n < full_len && !(flags & (ETRACE_PAYLOAD_FAULT | ETRACE_PAYLOAD_NULL)))
		flags |= ETRACE_PAYLOAD_CUT;
	p->op = op_flags >> 16;
	p->flags = flags & 0xff;
	p->len = n;
	p->full_len = full_len;
	sc->off = off + sizeof(*p) + (((__u32)n + 7) & ~7u);
	return flags;
}

/* put_item for the op under way; an input the enter could not read is
 * marked to be read again at exit. */
static __always_inline void add_item(struct copier *c, const void *src, __u32 len, __u32 full_len, __u32 flags)
{
	flags = put_item(c->sc, (__u64)src, len, full_len, (__u32)c->op << 16 | flags);
	if ((flags & ETRACE_PAYLOAD_FAULT) && !c->at_exit)
		c->refetch |= 1u << (c->op & 31);
}

/* How many bytes an op covers. */
static __always_inline __u64 op_length(const struct copier *c, const struct etrace_copy_op *op)
{
	__u64 n;
	__u32 v = 0;

	switch (op->len_source) {
	case ETRACE_LEN_ARG:
		n = arg_at(c, op->len_arg);
		break;
	case ETRACE_LEN_RET:
		n = c->ret > 0 ? c->ret : 0;
		break;
	case ETRACE_LEN_ARG_DEREF:
		bpf_probe_read_user(&v, sizeof(v), (void *)arg_at(c, op->len_arg));
		n = v;
		break;
	case ETRACE_LEN_ARG_BITS:
		n = arg_at(c, op->len_arg);
		if (n > ETRACE_MAX_ITEM * 8)
			n = ETRACE_MAX_ITEM * 8;
		return (n + 63) / 64 * 8;
	default:
		return op->size;
	}
	if (n > ETRACE_MAX_RECORD)
		n = ETRACE_MAX_RECORD; /* more than any record holds: only the cap matters */
	return n * (op->size ? op->size : 1);
}

/* argv: one item per string. */
static long string_step(__u64 k, struct copier *c)
{
	__u64 ptr = 0;

	if (bpf_probe_read_user(&ptr, sizeof(ptr), &c->vec[k])) {
		add_item(c, &c->vec[k], 0, 0, ETRACE_PAYLOAD_FAULT);
		return 1;
	}
	if (!ptr) {
		c->stop = true;
		return 1;
	}
	add_item(c, (void *)ptr, string_cap, 0, ITEM_STRING);
	return 0;
}

/* envp: only counted, as strace shows it by default. */
static long count_step(__u64 k, struct copier *c)
{
	__u64 ptr = 0;

	if (bpf_probe_read_user(&ptr, sizeof(ptr), &c->vec[k]) || !ptr) {
		c->stop = true;
		return 1;
	}
	c->count = k + 1;
	return 0;
}

/* iovecs: one item per buffer, full_len its iov_len; at exit only the bytes
 * the call transferred (the return value) are copied. */
static long iovec_step(__u64 k, struct copier *c)
{
	const struct iovec *vec = (const struct iovec *)c->vec;
	struct iovec iov;
	__u64 take;

	if (bpf_probe_read_user(&iov, sizeof(iov), &vec[k])) {
		add_item(c, &vec[k], 0, 0, ETRACE_PAYLOAD_FAULT);
		return 1;
	}
	take = iov.iov_len < c->left ? iov.iov_len : c->left;
	c->left -= take;
	add_item(c, iov.iov_base, take < bytes_cap ? take : bytes_cap, iov.iov_len, 0);
	return 0;
}

/* `count` iovecs at `vec`; at exit only the bytes the call transferred. */
static __always_inline void copy_iovecs(struct copier *c, const struct iovec *vec, __u64 count)
{
	c->vec = (const __u64 *)vec;
	c->count = count;
	c->left = c->at_exit ? (c->ret > 0 ? c->ret : 0) : ~0ull;
	bpf_loop(count < ETRACE_MAX_ARRAY_ITEMS ? count : ETRACE_MAX_ARRAY_ITEMS, iovec_step, c, 0);
	if (count > ETRACE_MAX_ARRAY_ITEMS)
		add_item(c, vec, 0, 0, ETRACE_PAYLOAD_MORE);
}

/* sendmsg/recvmsg: the header, the address it names, the data of its iovecs. */
static __always_inline void copy_msghdr(struct copier *c)
{
	const struct user_msghdr *user = (const struct user_msghdr *)c->vec;
	struct user_msghdr m;
	__u32 namelen;

	if (!user || bpf_probe_read_user(&m, sizeof(m), user)) {
		add_item(c, user, 0, 0, user ? ETRACE_PAYLOAD_FAULT : 0);
		return;
	}
	namelen = m.msg_namelen;
	add_item(c, user, sizeof(m), sizeof(m), 0);
	/* A sockaddr_storage's worth, whatever msg_namelen says (a constant
	 * length keeps the verifier's work small); full_len says how much of it
	 * the address takes. */
	add_item(c, m.msg_name, 128, namelen, 0);
	if (!m.msg_iov) {
		add_item(c, NULL, 0, 0, 0);
		return;
	}
	copy_iovecs(c, m.msg_iov, m.msg_iovlen);
}

static long op_step(__u64 k, struct copier *c)
{
	const struct etrace_copy_op *op;
	__u64 len;

	if (k >= ETRACE_MAX_COPY_OPS || k >= c->cfg->n_ops)
		return 1;
	op = &c->cfg->ops[k];
	/* An input the enter could not read (a page not yet faulted in) is read
	 * again at exit: the kernel has faulted it in to use it. */
	if (c->at_exit) {
		if (!(c->refetch & (1u << k)) && (!(op->flags & ETRACE_OP_AT_EXIT) || c->ret < 0))
			return 0;
	} else if (op->flags & ETRACE_OP_AT_EXIT) {
		return 0;
	}
	c->op = k;
	c->vec = (const __u64 *)arg_at(c, op->arg);
	c->stop = false;
	switch (op->kind) {
	case ETRACE_COPY_STRING:
		add_item(c, c->vec, string_cap, 0, ITEM_STRING);
		break;
	case ETRACE_COPY_BYTES:
		len = op_length(c, op);
		add_item(c, c->vec, len < ((op->flags & ETRACE_OP_WHOLE) ? ETRACE_MAX_ITEM : bytes_cap) ? len
			 : ((op->flags & ETRACE_OP_WHOLE) ? ETRACE_MAX_ITEM : bytes_cap), len, 0);
		break;
	case ETRACE_COPY_STRINGS:
		if (!c->vec) {
			add_item(c, NULL, 0, 0, 0);
			break;
		}
		bpf_loop(ETRACE_MAX_ARRAY_ITEMS, string_step, c, 0);
		if (!c->stop) /* strings remain: a marker item says so */
			add_item(c, c->vec, 0, 0, ETRACE_PAYLOAD_MORE);
		break;
	case ETRACE_COPY_COUNT:
		c->count = 0;
		if (c->vec)
			bpf_loop(1024, count_step, c, 0);
		add_item(c, c->vec, 0, c->count, c->vec && !c->stop ? ETRACE_PAYLOAD_MORE : 0);
		break;
	case ETRACE_COPY_IOVEC:
		if (!c->vec) {
			add_item(c, NULL, 0, 0, 0);
			break;
		}
		copy_iovecs(c, (const struct iovec *)c->vec, arg_at(c, op->len_arg));
		break;
	case ETRACE_COPY_MSGHDR:
		copy_msghdr(c);
		break;
	}
	return 0;
}

/* Records with payloads are built in this CPU's scratch_space. */
static __always_inline struct scratch *scratch_begin(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch_space, &zero);
}

/* Copies the record built in scratch into this CPU's stage at its real
 * size; one that does not fit is counted in slot `loss_slot` of
 * `loss_map`. 0 when it was written. */
static __always_inline int scratch_submit(struct scratch *sc, __u64 ts, struct task_struct *task,
					  void *loss_map, __u32 loss_slot)
{
	struct etrace_header *h = (void *)sc->data;
	struct stage *s = stage_begin();
	__u32 size = sc->off;
	void *dst = NULL;
	int err = 1;

	if (size > ETRACE_MAX_RECORD)
		size = ETRACE_MAX_RECORD;
	h->size = size;
	if (s) {
		if (announce_gap(s, ts, task))
			dst = stage_reserve(s, size);
		if (dst && !bpf_probe_read_kernel(dst, size, sc->data)) {
			stage_commit(s, size);
			err = 0;
		}
		stage_end(s);
	}
	if (err)
		count_lost_in(loss_map, loss_slot, ts);
	return err;
}

/* Runs the plan's ops after the fixed part the caller put in scratch, then
 * submits the record. */
static __always_inline void scratch_output(struct copier *c, __u64 ts, struct task_struct *task,
					   void *loss_map, __u32 loss_slot)
{
	bpf_loop(ETRACE_MAX_COPY_OPS, op_step, c, 0);
	scratch_submit(c->sc, ts, task, loss_map, loss_slot);
}

/* A syscall record with its payloads. */
static __always_inline void emit_with_payloads(struct task_struct *task, struct task_state *st,
					       const struct etrace_syscall_config *cfg, struct pt_regs *regs, long id,
					       long ret, bool at_exit, __u64 ts)
{
	struct copier c = {};
	struct etrace_header *h;
	struct scratch *sc;
	__u32 cpu;

	sc = scratch_begin();
	if (!sc)
		return;
	cpu = bpf_get_smp_processor_id();
	c.sc = sc;
	c.cfg = cfg;
	c.at_exit = at_exit;
	c.refetch = at_exit ? st->refetch : 0;
	c.args[0] = regs->di;
	c.args[1] = regs->si;
	c.args[2] = regs->dx;
	c.args[3] = regs->r10;
	c.args[4] = regs->r8;
	c.args[5] = regs->r9;
	c.ret = ret;
	h = (void *)sc->data;
	if (at_exit) {
		struct etrace_sys_exit *r = (void *)sc->data;

		r->ret = ret;
		sc->off = sizeof(*r);
		fill_header(h, 0, ETRACE_REC_SYS_EXIT, id, ts, task, cpu);
	} else {
		struct etrace_sys_enter *r = (void *)sc->data;

		__builtin_memcpy(r->args, c.args, sizeof(r->args));
		sc->off = sizeof(*r);
		fill_header(h, 0, ETRACE_REC_SYS_ENTER, id, ts, task, cpu);
	}
	scratch_output(&c, ts, task, &lost, id);
	st->refetch = at_exit ? 0 : c.refetch;
}

/* ---- Process context ---------------------------------------------------- */

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

struct cgroup_walk {
	struct scratch *sc;
	struct kernfs_node *kn;
};

/* One component of the cgroup path per turn, leaf first; the root has no name. */
static long cgroup_step(__u64 k, struct cgroup_walk *w)
{
	struct kernfs_node *kn = w->kn; /* a local: CO-RE reads must start from a kernel type */
	struct kernfs_node *parent = kernfs_parent(kn);

	if (!parent)
		return 1;
	put_item(w->sc, (__u64)BPF_CORE_READ(kn, name), 255, 0, ITEM_STRING | ITEM_KERNEL | ETRACE_CTX_ITEM_CGROUP << 16);
	w->kn = parent;
	return 0;
}

__noinline int emit_context(struct task_state *st, __u64 ts, __u32 reason, __u64 exe)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct cgroup_walk walk = {};
	struct etrace_context *r;
	const struct cred *cred;
	struct nsproxy *nsproxy;
	struct scratch *sc;
	struct pid *pid;
	struct upid upid = {};
	struct kernfs_node *kn;
	struct pid_namespace *pid_ns;
	__u32 cpu, level;

	if (!st)
		return 1;
	sc = scratch_begin();
	if (!sc)
		return 1;
	cpu = bpf_get_smp_processor_id();
	r = (void *)sc->data;
	fill_header(&r->h, 0, ETRACE_REC_CONTEXT, ETRACE_NR_UNKNOWN, ts, task, cpu);
	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	r->reason = reason;
	cred = BPF_CORE_READ(task, real_cred);
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
	pid = BPF_CORE_READ(task, thread_pid);
	level = BPF_CORE_READ(pid, level);
	bpf_core_read(&upid, sizeof(upid), &pid->numbers[level]);
	pid_ns = upid.ns;
	r->ns[ETRACE_NS_PID] = BPF_CORE_READ(pid_ns, ns.inum);
	nsproxy = BPF_CORE_READ(task, nsproxy);
	r->ns[ETRACE_NS_MNT] = BPF_CORE_READ(nsproxy, mnt_ns, ns.inum);
	r->ns[ETRACE_NS_NET] = BPF_CORE_READ(nsproxy, net_ns, ns.inum);
	r->ns[ETRACE_NS_UTS] = BPF_CORE_READ(nsproxy, uts_ns, ns.inum);
	r->ns[ETRACE_NS_IPC] = BPF_CORE_READ(nsproxy, ipc_ns, ns.inum);
	r->ns[ETRACE_NS_USER] = BPF_CORE_READ(cred, user_ns, ns.inum);
	r->ns[ETRACE_NS_CGROUP] = BPF_CORE_READ(nsproxy, cgroup_ns, ns.inum);
	r->ns[ETRACE_NS_TIME] = BPF_CORE_READ(nsproxy, time_ns, ns.inum);
	__builtin_memset(r->comm, 0, sizeof(r->comm));
	bpf_probe_read_kernel_str(r->comm, sizeof(r->comm), task->comm);
	sc->off = sizeof(*r);
	if (exe)
		put_item(sc, exe, string_cap, 0, ITEM_STRING | ITEM_KERNEL | ETRACE_CTX_ITEM_EXE << 16);
	walk.sc = sc;
	walk.kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
	bpf_loop(ETRACE_MAX_CGROUP_DEPTH, cgroup_step, &walk, 0);
	kn = walk.kn;
	if (kernfs_parent(kn)) /* deeper than we walk: say so */
		put_item(sc, (__u64)kn, 0, 0, ETRACE_PAYLOAD_MORE | ETRACE_CTX_ITEM_CGROUP << 16);
	return scratch_submit(sc, ts, task, &lost, ETRACE_MAX_SYSCALLS);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct etrace_syscall_config *cfg = config_of(id);
	struct etrace_sys_enter *r;
	struct task_state *st;
	__u64 ts;

	if (!cfg)
		return 0;
	st = traced(task, cfg->flags, true);
	if (!st)
		return 0;
	st->nr = id;
	st->refetch = 0;
	ts = bpf_ktime_get_ns();
	announce(task, st, ts);
	if (cfg->flags & ETRACE_SC_COPY_AT_ENTER) {
		emit_with_payloads(task, st, cfg, regs, id, 0, false, ts);
		return 0;
	}
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
	struct etrace_syscall_config *cfg;
	long id = regs->orig_ax;
	struct etrace_sys_exit *r;
	struct task_state *st;
	__u64 ts;

	if (id < 0) {
		/* A sigreturn restored orig_ax: the number is the one we saw enter. */
		st = bpf_task_storage_get(&task_states, task, 0, 0);
		if (!st)
			return 0;
		id = st->nr;
	}
	cfg = config_of(id);
	if (!cfg)
		return 0;
	st = traced(task, cfg->flags, false);
	if (!st)
		return 0;
	st->nr = -1;
	ts = bpf_ktime_get_ns();
	announce(task, st, ts);
	if (((cfg->flags & ETRACE_SC_COPY_AT_EXIT) && ret >= 0) || st->refetch) {
		emit_with_payloads(task, st, cfg, regs, id, ret, true, ts);
		return 0;
	}
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

	if (!pst || !(pst->flags & ETRACE_TARGET_TRACED) || !cgroup_allows(parent, pst))
		return 0;
	if (follow_children) {
		cst = bpf_task_storage_get(&task_states, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (cst) {
			cst->flags = (pst->flags & ~TASK_ANNOUNCED) | TASK_DECIDED;
			cst->nr = -1;
			cst->refetch = 0;
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
int BPF_PROG(on_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_state *st = state_of(task);
	struct lib_stack *stack;
	struct etrace_exec *r;
	__u64 ts;

	if (!st)
		return 0;
	/* The library calls under way (execve's caller) never return to the new image. */
	stack = bpf_task_storage_get(&lib_stacks, task, 0, 0);
	if (stack)
		stack->depth = 0;
	/* A new image has a new comm: a comm filter may now match it. */
	if (filter_comm && !(st->flags & ETRACE_TARGET_TRACED)) {
		st->flags = decide(task) | TASK_DECIDED;
		st->filter_css = 0;
	}
	if (!(st->flags & ETRACE_TARGET_TRACED) || !cgroup_allows(task, st))
		return 0;
	ts = bpf_ktime_get_ns();
	/* The new image's context comes first, so that the exec event has it,
	 * with the image's path as exec resolved it (a script's interpreter). */
	note_context(task, st, ts, ETRACE_CTX_EXEC, (__u64)BPF_CORE_READ(bprm, interp));
	r = reserve(sizeof(*r), ETRACE_REC_EXEC, ETRACE_NR_UNKNOWN, ts, task);
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
	if (filter_comm && !(st->flags & ETRACE_TARGET_TRACED)) {
		st->flags = decide_named(task, comm) | TASK_DECIDED;
		st->filter_css = 0;
	}
	if (is_traced(st))
		emit_task(task, st, bpf_ktime_get_ns(), comm);
	return 0;
}

static __always_inline void task_exit(struct task_struct *task, bool group_dead)
{
	struct task_state *st = bpf_task_storage_get(&task_states, task, 0, 0);
	struct etrace_task_exit *r;

	if (!st || !is_traced(st))
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

/* ---- Library calls: uprobes at the entry and return of library functions -
 * User space attaches them to each traced function with the function's
 * index as the attach cookie; lib_config holds each function's copy plan,
 * built from its prototype. Filters are the syscalls' (task_states). */

/* The probed function (the attach cookie) and its configuration, and the
 * task's state when it is traced: a task is traced in its library calls
 * once its syscalls are (a command held for run-a-command mode from its
 * execve on). NULL when the call is not to be recorded. */
static __always_inline struct task_state *lib_probe_start(struct pt_regs *ctx, struct task_struct *task,
							  __u32 *func, struct etrace_syscall_config **cfg)
{
	struct task_state *st;

	*func = bpf_get_attach_cookie(ctx);
	*cfg = bpf_map_lookup_elem(&lib_config, func);
	if (!*cfg)
		return NULL;
	st = state_of(task);
	if (!st || (st->flags & (ETRACE_TARGET_TRACED | ETRACE_TARGET_FROM_EXEC)) != ETRACE_TARGET_TRACED ||
	    !cgroup_allows(task, st))
		return NULL;
	return st;
}

/* The frame of the call at `depth`: min(depth, LIB_MAX_FRAMES) without a
 * branch, which the verifier would follow through the whole copier once
 * per side (`over` is all ones past LIB_MAX_FRAMES). */
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

/* A library record: the fixed part, then what the function's plan copies at
 * this end of the call. An input not yet paged in at entry (a string in
 * .rodata the program had not touched) is read again at return, when the
 * function has read it: the entry leaves those ops in its frame's refetch,
 * the return takes them in `refetch`. Returns the ops to read again. */
static __always_inline __u32 emit_lib(struct task_struct *task, const struct etrace_syscall_config *cfg,
				      const __u64 *args, long ret, __u32 func, __u32 depth, bool at_exit,
				      __u32 refetch, __u64 ts)
{
	const __u32 size = at_exit ? sizeof(struct etrace_lib_exit) : sizeof(struct etrace_lib_enter);
	const __u16 type = at_exit ? ETRACE_REC_LIB_EXIT : ETRACE_REC_LIB_ENTER;
	struct copier c = {};
	struct scratch *sc;
	void *r;
	__u32 cpu;

	if (!(cfg->flags & (at_exit ? ETRACE_SC_COPY_AT_EXIT : ETRACE_SC_COPY_AT_ENTER)) && !refetch) {
		r = reserve_in(size, type, ETRACE_NR_UNKNOWN, ts, task, &lib_lost, func);
		if (!r)
			return 0;
		fill_lib(r, func, depth, args, ret, at_exit);
		submit(r);
		return 0;
	}
	sc = scratch_begin();
	if (!sc)
		return 0;
	cpu = bpf_get_smp_processor_id();
	c.sc = sc;
	c.cfg = cfg;
	c.at_exit = at_exit;
	c.refetch = refetch;
	c.ret = ret;
	__builtin_memcpy(c.args, args, sizeof(c.args));
	fill_lib(sc->data, func, depth, args, ret, at_exit);
	fill_header((void *)sc->data, 0, type, ETRACE_NR_UNKNOWN, ts, task, cpu);
	sc->off = size;
	scratch_output(&c, ts, task, &lib_lost, func);
	return c.refetch;
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
	__u64 ts;

	st = lib_probe_start(ctx, task, &func, &cfg);
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
	bpf_preempt_disable();
	ts = bpf_ktime_get_ns();
	announce(task, st, ts);
	refetch = emit_lib(task, cfg, args, 0, func, depth, false, 0, ts);
	bpf_preempt_enable();
	/* The frame found again: a pointer or index kept across the copier's
	 * loop would keep the verifier from pruning its states (it then checks
	 * twice the instructions). No call can start in this thread meanwhile. */
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
	__u64 ts;

	st = lib_probe_start(ctx, task, &func, &cfg);
	if (!st)
		return 0;
	stack = bpf_task_storage_get(&lib_stacks, task, 0, 0);
	if (stack && stack->depth) {
		depth = returning_frame(stack, stack->depth - 1, func);
		stack->depth = depth;
		if (depth < LIB_MAX_FRAMES) {
			__builtin_memcpy(args, stack->frames[depth & (LIB_MAX_FRAMES - 1)].args, sizeof(args));
			refetch = stack->frames[depth & (LIB_MAX_FRAMES - 1)].refetch;
		}
	}
	if (cfg->flags & ETRACE_SC_RET_VOID)
		ret = 0;
	bpf_preempt_disable();
	ts = bpf_ktime_get_ns();
	announce(task, st, ts);
	emit_lib(task, cfg, args, ret, func, depth, true, refetch, ts);
	bpf_preempt_enable();
	return 0;
}
