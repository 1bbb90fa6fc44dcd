/* Records with payloads: user (or kernel) memory copied as a plan says.
 *
 * The verifier's cost is kept additive, not multiplicative (bpf/README.md):
 * - a record is built in a slot of map `records`, which also holds the
 *   copier's state (the op under way, the array element, the bytes left):
 *   map values are not tracked by the verifier, stack slots are, exactly,
 *   and every combination of tracked values is a state of its own;
 * - copy_step() and put_item() are global functions, verified once each
 *   with unknown arguments, and take scalars only (kernels before 5.12
 *   refuse pointers to global functions): they look their slot up again;
 * - one flat bounded loop calls copy_step() until the plan is done, one
 *   element of one op per turn. No nested loops, no bpf_loop (5.17).
 *
 * Slot 0 of each CPU serves the syscall programs, which run with
 * preemption off. Slots 1..LIB_SLOTS serve library-call probes, which may
 * be preempted by another task probed on the same CPU: a probe claims a
 * free slot with an atomic exchange, and a probe that finds none loses its
 * record (counted). */
#ifndef ETRACE_COPIER_BPF_H
#define ETRACE_COPIER_BPF_H

#define SYS_SLOT 0
#define LIB_SLOTS ETRACE_LIB_SLOTS

/* Plan tables (record_buf.table). */
#define PLAN_SYSCALL 0
#define PLAN_LIBRARY 1
#define PLAN_COMMAND 2

/* Turns of the copy loop: each op takes one turn to start, then one per
 * array element and one for the marker after them, or one per COUNT_BATCH
 * pointers counted: no plan needs more than COPY_TURNS. */
#define COUNT_BATCH 64
#define COPY_TURNS (ETRACE_MAX_COPY_OPS * (ETRACE_MAX_ARRAY_ITEMS + 2))
_Static_assert(ETRACE_MAX_COUNTED / COUNT_BATCH + 2 <= ETRACE_MAX_ARRAY_ITEMS + 2, "counting fits an op's turns");
_Static_assert(ETRACE_MAX_DIRENTS / COUNT_BATCH + 2 <= ETRACE_MAX_ARRAY_ITEMS + 2, "counting fits an op's turns");

/* Room for a whole record and one more item, so no copy's bounds depend
 * on another's. */
#define RECORD_ROOM (ETRACE_MAX_RECORD + ETRACE_MAX_ITEM + 64)

struct record_buf {
	__u64 owner;   /* library slots: the slot's index while a probe builds here (64 bits: clang's BPF cmpxchg) */
	__u32 off;     /* the record's size so far */
	__u32 table;   /* PLAN_SYSCALL or PLAN_LIBRARY */
	__u32 index;   /* the plan's key: syscall number or function index */
	__u32 at_exit;
	__u32 refetch; /* at enter: ops that faulted; at exit: ops to run again */
	__u32 op;      /* the op under way */
	__u32 elem;    /* 0 before the op starts, then 1 + the array element under way */
	__u32 command; /* PLAN_COMMAND: the command, with `index` the key of its plan */
	__u32 op_base; /* added to op indexes in items: a command's ops follow its syscall's */
	__u32 reserved;
	__u64 args[8]; /* the six argument registers, the return value, the stack pointer */
	__u64 vec;     /* the array under way; dirents: the next record */
	__u64 count;   /* its length, or the pointers or records counted so far */
	__u64 left;    /* iovecs at exit: bytes the call transferred, not yet shown; dirents: bytes not counted */
	char data[RECORD_ROOM];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1 + LIB_SLOTS);
	__type(key, __u32);
	__type(value, struct record_buf);
} records SEC(".maps");

#define ARG_RET 6 /* args[] index of the return value (ETRACE_ARG_RET) */
#define ARG_SP 7  /* ... and of the stack pointer at a syscall's entry (ETRACE_ARG_SP) */

static __always_inline struct record_buf *record_at(__u32 slot)
{
	return bpf_map_lookup_elem(&records, &slot);
}

/* A value read back from a map: the verifier no longer knows which of the
 * paths before produced it, so they do not each verify all that follows. */
#define from_map(p) (*(volatile typeof(*(p)) *)(p))

/* A free library slot of this CPU, claimed (its owner is its own index);
 * -1 when every one is taken. */
static __always_inline int claim_lib_slot(void)
{
	for (__u32 slot = 1; slot <= LIB_SLOTS; slot++) {
		struct record_buf *b = record_at(slot);

		if (b && __sync_val_compare_and_swap(&b->owner, 0, slot) == 0)
			return from_map(&b->owner);
	}
	return -1;
}

static __always_inline void release_lib_slot(__u32 slot)
{
	struct record_buf *b = record_at(slot);

	if (!b)
		return;
	asm volatile("" ::: "memory");
	b->owner = 0;
}

/* Starts a record of `fixed` bytes in `b`: the caller fills the fixed part. */
static __always_inline void record_start(struct record_buf *b, __u32 fixed, __u32 table, __u32 index, bool at_exit,
					 __u32 refetch)
{
	b->off = fixed;
	b->table = table;
	b->index = index;
	b->at_exit = at_exit;
	b->refetch = refetch;
	b->op = 0;
	b->elem = 0;
	b->command = 0;
	b->op_base = 0;
}

/* A multiplexed syscall's record copies by the plan of the command its
 * registers name, when map command_config has one. */
static __always_inline void choose_command_plan(struct record_buf *b, const struct etrace_syscall_config *cfg)
{
	struct etrace_command_key key;

	if (!(cfg->flags & ETRACE_SC_COMMANDS))
		return;
	key.nr = b->index;
	key.value = (__u32)b->args[cfg->command_arg & 7] & cfg->command_mask;
	if (!bpf_map_lookup_elem(&command_config, &key))
		return;
	b->table = PLAN_COMMAND;
	b->command = key.value;
	b->op_base = cfg->n_ops;
}

/* Appends one item to the record in slot `slot`: a header, then up to
 * `want` bytes read from address `src` (a string when ITEM_STRING, kernel
 * memory when ITEM_KERNEL). An item that does not fit the record is
 * shortened, or dropped when not even its header fits. `op_flags` is the
 * op's index << 16 | payload flags. Returns the item's flags. */
#define ITEM_STRING (1u << 8)
#define ITEM_KERNEL (1u << 9)
__noinline int put_item(__u32 slot, __u64 src, __u32 want, __u32 full_len, __u32 op_flags)
{
	struct record_buf *b = record_at(slot);
	__u32 flags = op_flags & 0xffff;
	struct etrace_payload *p;
	__u64 off, len = want;
	long n = 0;

	if (!b)
		return 0;
	off = b->off;
	if (off > ETRACE_MAX_RECORD - sizeof(*p))
		return flags;
	if (len > ETRACE_MAX_ITEM - 1)
		len = ETRACE_MAX_ITEM - 1;
	if (len > ETRACE_MAX_RECORD - sizeof(*p) - off) {
		len = ETRACE_MAX_RECORD - sizeof(*p) - off;
		flags |= ETRACE_PAYLOAD_CUT;
	}
	/* Masks that change nothing, for verifiers that lose the bounds above. */
	opaque(off);
	off &= ETRACE_MAX_RECORD - 1;
	opaque(len);
	len &= ETRACE_MAX_ITEM - 1;
	p = (void *)(b->data + off);
	if (!src) {
		flags |= ETRACE_PAYLOAD_NULL;
	} else if (flags & ITEM_STRING) {
		/* One byte more than the cap: a string that fills it is cut. */
		if (flags & ITEM_KERNEL)
			n = bpf_probe_read_kernel_str(p + 1, len + 1, (const void *)src);
		else
			n = bpf_probe_read_user_str(p + 1, len + 1, (const void *)src);
		/* Some kernels (6.12) return 0, not 1, for an empty string. */
		if (n < 0) {
			flags |= ETRACE_PAYLOAD_FAULT;
			n = 0;
		} else if (n > len) {
			flags |= ETRACE_PAYLOAD_CUT;
			n = len;
			full_len = len;
		} else {
			n = n ? n - 1 : 0; /* the NUL */
			full_len = n;
		}
	} else if (len) {
		if (bpf_probe_read_user(p + 1, len, (const void *)src) == 0)
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
	b->off = off + sizeof(*p) + (((__u32)n + 7) & ~7u);
	return flags;
}

/* put_item for op `k`; an input the enter could not read (a page not yet
 * faulted in) is marked to be read again at exit, when the kernel has
 * faulted it in to use it. */
static __always_inline void add_item(__u32 slot, struct record_buf *b, __u32 k, __u64 src, __u32 len,
				     __u32 full_len, __u32 flags)
{
	flags = put_item(slot, src, len, full_len, (k + b->op_base) << 16 | flags);
	if ((flags & ETRACE_PAYLOAD_FAULT) && !b->at_exit)
		b->refetch |= 1u << (k & 31);
}

static __always_inline __u64 arg_of(const struct record_buf *b, __u8 i)
{
	return b->args[i & 7];
}

/* How many bytes an op covers. */
static __always_inline __u64 op_length(const struct record_buf *b, const struct etrace_copy_op *op)
{
	__s64 ret = b->args[ARG_RET];
	__u32 v = 0;
	__u64 n;

	switch (op->len_source) {
	case ETRACE_LEN_ARG:
		n = arg_of(b, op->len_arg);
		break;
	case ETRACE_LEN_RET:
		n = ret > 0 ? ret : 0;
		break;
	case ETRACE_LEN_ARG_DEREF:
		bpf_probe_read_user(&v, sizeof(v), (void *)arg_of(b, op->len_arg));
		n = v;
		break;
	case ETRACE_LEN_ARG_BITS:
		n = arg_of(b, op->len_arg);
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

/* Whether op `k` runs at this end of the call. An input on the stack is
 * not read again at exit: the stack pointer has moved by then. */
static __always_inline bool op_runs_now(const struct record_buf *b, const struct etrace_copy_op *op, __u32 k)
{
	if (!b->at_exit)
		return !(op->flags & ETRACE_OP_AT_EXIT);
	if (op->arg == ETRACE_ARG_SP)
		return false;
	return ((b->refetch >> (k & 31)) & 1) || ((op->flags & ETRACE_OP_AT_EXIT) && (__s64)b->args[ARG_RET] >= 0);
}

/* The next turn goes to op k + 1. */
static __always_inline int next_op(struct record_buf *b, __u32 k)
{
	b->op = k + 1;
	b->elem = 0;
	return 0;
}

/* Starts iovecs at `vec` (`count` of them): one item per buffer follows,
 * a turn each; at exit only the bytes the call transferred are copied. */
static __always_inline int start_iovecs(struct record_buf *b, __u64 vec, __u64 count)
{
	__s64 ret = b->args[ARG_RET];

	b->vec = vec;
	b->count = count;
	b->left = b->at_exit ? (ret > 0 ? ret : 0) : ~0ull;
	b->elem = 1;
	return 0;
}

/* sendmsg/recvmsg: the header, the address it names, then its iovecs. */
static __always_inline int start_msghdr(__u32 slot, struct record_buf *b, __u32 k)
{
	struct user_msghdr m;
	__u64 user = b->vec;

	if (!user || bpf_probe_read_user(&m, sizeof(m), (void *)user)) {
		add_item(slot, b, k, user, 0, 0, user ? ETRACE_PAYLOAD_FAULT : 0);
		return next_op(b, k);
	}
	add_item(slot, b, k, user, sizeof(m), sizeof(m), 0);
	/* A sockaddr_storage's worth, whatever msg_namelen says (a constant
	 * length keeps the verifier's work small); full_len says how much of
	 * it the address takes. */
	add_item(slot, b, k, (__u64)m.msg_name, 128, m.msg_namelen, 0);
	if (!m.msg_iov) {
		add_item(slot, b, k, 0, 0, 0, 0);
		return next_op(b, k);
	}
	return start_iovecs(b, (__u64)m.msg_iov, m.msg_iovlen);
}

/* An indirect op's address: the pointer at `offset` in the struct the
 * argument points at. Nonzero when the struct cannot be read. */
static __always_inline int follow_pointer(struct record_buf *b)
{
	__u64 ptr = 0;

	if (!b->vec || bpf_probe_read_user(&ptr, sizeof(ptr), (void *)b->vec))
		return 1;
	b->vec = ptr;
	return 0;
}

/* The first turn of op `k`: a single item is copied now; an array is set
 * up for the turns that follow. */
static __always_inline int start_op(__u32 slot, struct record_buf *b, const struct etrace_copy_op *op, __u32 k)
{
	__u64 len, cap;

	if (!op_runs_now(b, op, k))
		return next_op(b, k);
	b->vec = arg_of(b, op->arg) + op->offset;
	if ((op->flags & ETRACE_OP_INDIRECT) && follow_pointer(b)) {
		add_item(slot, b, k, b->vec, 0, 0, b->vec ? ETRACE_PAYLOAD_FAULT : 0);
		return next_op(b, k);
	}
	switch (op->kind) {
	case ETRACE_COPY_STRING:
		add_item(slot, b, k, b->vec, string_cap, 0, ITEM_STRING);
		break;
	case ETRACE_COPY_BYTES:
	case ETRACE_COPY_DIRENTS:
		len = op_length(b, op);
		cap = (op->flags & ETRACE_OP_WHOLE) ? ETRACE_MAX_ITEM : bytes_cap;
		add_item(slot, b, k, b->vec, len < cap ? len : cap, len, 0);
		/* Records the bytes cut off are counted in the turns that follow. */
		if (op->kind == ETRACE_COPY_DIRENTS && len > cap) {
			b->left = len;
			b->count = 0;
			b->elem = 1;
			return 0;
		}
		break;
	case ETRACE_COPY_STRINGS:
	case ETRACE_COPY_COUNT:
		if (b->vec) {
			b->count = 0;
			b->elem = 1;
			return 0;
		}
		add_item(slot, b, k, 0, 0, 0, 0);
		break;
	case ETRACE_COPY_IOVEC:
		if (b->vec)
			return start_iovecs(b, b->vec, arg_of(b, op->len_arg));
		add_item(slot, b, k, 0, 0, 0, 0);
		break;
	case ETRACE_COPY_MSGHDR:
		return start_msghdr(slot, b, k);
	}
	return next_op(b, k);
}

/* argv: one item per string; a marker item flagged MORE when strings
 * remain (or the array could not be read further). */
static __always_inline int string_element(__u32 slot, struct record_buf *b, __u32 k, __u32 e)
{
	__u64 at = b->vec + e * sizeof(__u64), ptr = 0;

	if (e >= ETRACE_MAX_ARRAY_ITEMS) {
		add_item(slot, b, k, b->vec, 0, 0, ETRACE_PAYLOAD_MORE);
		return next_op(b, k);
	}
	if (bpf_probe_read_user(&ptr, sizeof(ptr), (void *)at)) {
		add_item(slot, b, k, at, 0, 0, ETRACE_PAYLOAD_FAULT);
		b->elem = ETRACE_MAX_ARRAY_ITEMS + 1; /* then the marker */
		return 0;
	}
	if (!ptr)
		return next_op(b, k);
	add_item(slot, b, k, ptr, string_cap, 0, ITEM_STRING);
	b->elem = e + 2;
	return 0;
}

/* envp: counted, as strace shows it by default; COUNT_BATCH a turn. */
static __always_inline int count_pointers(__u32 slot, struct record_buf *b, __u32 k)
{
	for (int i = 0; i < COUNT_BATCH; i++) {
		__u64 n = b->count, ptr = 0;

		if (n >= ETRACE_MAX_COUNTED) {
			add_item(slot, b, k, b->vec, 0, n, ETRACE_PAYLOAD_MORE);
			return next_op(b, k);
		}
		if (bpf_probe_read_user(&ptr, sizeof(ptr), (void *)(b->vec + n * sizeof(__u64))) || !ptr) {
			add_item(slot, b, k, b->vec, 0, n, 0);
			return next_op(b, k);
		}
		b->count = n + 1;
	}
	return 0;
}

/* getdents64's records, counted by the length each gives (d_reclen, at 16),
 * COUNT_BATCH a turn: an item of no bytes whose full_len is the count,
 * flagged MORE when counting stopped early (a lower bound), FAULT when a
 * record could not be read or said a length that runs past the rest. */
static __always_inline int count_dirents(__u32 slot, struct record_buf *b, __u32 k, __u32 e)
{
	for (int i = 0; i < COUNT_BATCH; i++) {
		__u64 left = b->left;
		__u16 reclen = 0;

		if (!left) {
			add_item(slot, b, k, b->vec, 0, b->count, 0);
			return next_op(b, k);
		}
		if (bpf_probe_read_user(&reclen, sizeof(reclen), (void *)(b->vec + 16)) || !reclen || reclen > left) {
			add_item(slot, b, k, b->vec, 0, b->count, ETRACE_PAYLOAD_FAULT);
			return next_op(b, k);
		}
		b->vec += reclen;
		b->left = left - reclen;
		b->count += 1;
	}
	if (e + 1 >= ETRACE_MAX_DIRENTS / COUNT_BATCH) {
		add_item(slot, b, k, b->vec, 0, b->count, ETRACE_PAYLOAD_MORE);
		return next_op(b, k);
	}
	b->elem = e + 2;
	return 0;
}

/* iovecs: one item per buffer, full_len its iov_len; a marker item flagged
 * MORE after them when there were more than are copied. */
static __always_inline int iovec_element(__u32 slot, struct record_buf *b, __u32 k, __u32 e)
{
	__u64 at = b->vec + e * sizeof(struct iovec), take;
	struct iovec iov;

	if (e >= ETRACE_MAX_ARRAY_ITEMS || e >= b->count) {
		if (b->count > ETRACE_MAX_ARRAY_ITEMS)
			add_item(slot, b, k, b->vec, 0, 0, ETRACE_PAYLOAD_MORE);
		return next_op(b, k);
	}
	if (bpf_probe_read_user(&iov, sizeof(iov), (void *)at)) {
		add_item(slot, b, k, at, 0, 0, ETRACE_PAYLOAD_FAULT);
		b->elem = ETRACE_MAX_ARRAY_ITEMS + 1; /* then the marker, if any */
		return 0;
	}
	take = iov.iov_len < b->left ? iov.iov_len : b->left;
	b->left -= take;
	add_item(slot, b, k, (__u64)iov.iov_base, take < bytes_cap ? take : bytes_cap, iov.iov_len, 0);
	b->elem = e + 2;
	return 0;
}

static __always_inline const struct etrace_syscall_config *plan_of(const struct record_buf *b)
{
	struct etrace_command_key key = {b->index, b->command};
	__u32 index = b->index;

	if (b->table == PLAN_LIBRARY)
		return bpf_map_lookup_elem(&lib_config, &index);
	if (b->table == PLAN_COMMAND)
		return bpf_map_lookup_elem(&command_config, &key);
	return bpf_map_lookup_elem(&syscall_config, &index);
}

/* One turn of the copy loop for the record in slot `slot`: starts the op
 * under way or copies its next element. Returns 1 when the plan is done. */
__noinline int copy_step(__u32 slot)
{
	struct record_buf *b = record_at(slot);
	const struct etrace_syscall_config *cfg;
	const struct etrace_copy_op *op;
	__u32 k, e;

	if (!b)
		return 1;
	cfg = plan_of(b);
	k = b->op;
	if (!cfg || k >= ETRACE_MAX_COPY_OPS || k >= cfg->n_ops)
		return 1;
	op = &cfg->ops[k];
	if (!b->elem)
		return start_op(slot, b, op, k);
	e = b->elem - 1;
	switch (op->kind) {
	case ETRACE_COPY_STRINGS:
		return string_element(slot, b, k, e);
	case ETRACE_COPY_COUNT:
		return count_pointers(slot, b, k);
	case ETRACE_COPY_DIRENTS:
		return count_dirents(slot, b, k, e);
	case ETRACE_COPY_IOVEC:
	case ETRACE_COPY_MSGHDR:
		return iovec_element(slot, b, k, e);
	default:
		return next_op(b, k);
	}
}

/* Runs the plan of the record in slot `slot` to its end. */
static __always_inline void copy_plan(__u32 slot)
{
#pragma clang loop unroll(disable)
	for (int turn = 0; turn < COPY_TURNS; turn++)
		if (copy_step(slot))
			break;
}

/* Hands the record built in slot `slot` on: into this CPU's stage, or
 * straight into the ring; one that finds no room is counted in slot
 * `loss_slot` of `loss_map`. 0 when it was written. */
static __always_inline int record_submit(__u32 slot, bool direct, __u64 ts, void *loss_map, __u32 loss_slot)
{
	struct record_buf *b = record_at(slot);
	struct etrace_header *h;
	struct stage *s;
	void *dst = NULL;
	__u64 size; /* 64 bits: a 32-bit copy would be bounded apart from the one used */
	int err = 1;

	if (!b)
		return 1;
	h = (void *)b->data;
	size = b->off;
	opaque(size);
	if (size > ETRACE_MAX_RECORD)
		size = ETRACE_MAX_RECORD;
	h->size = size;
	if (direct) {
		h->cpu |= ETRACE_CPU_DIRECT;
		err = bpf_ringbuf_output(&events, b->data, size, wake_flags()) ? 1 : 0;
	} else {
		s = stage_begin();
		if (s) {
			if (announce_gap(s, ts))
				dst = stage_reserve(s, size);
			if (dst && !bpf_probe_read_kernel(dst, size, b->data)) {
				stage_commit(s, size);
				err = 0;
			}
			stage_end(s);
		}
	}
	if (err)
		count_lost_in(loss_map, loss_slot, ts);
	return err;
}

#endif
