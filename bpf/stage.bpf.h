/* How records leave the kernel.
 *
 * Syscall and process records are appended to their CPU's stage and handed
 * to the shared ring STAGE_BATCH bytes at a time: reserving in the ring and
 * pulling its cache lines to the reader's core cost more per record than
 * writing it. Their programs run with preemption off (the tracepoint's), so
 * nothing else writes a stage in the middle of a record but flush_stage,
 * which user space runs on each CPU (BPF_PROG_TEST_RUN, an IPI) and which
 * waits while `busy` is set. capture/record_merger puts the CPUs' runs back
 * in time order.
 *
 * Library-call records come from uprobes, which may be preempted: they go
 * straight into the ring (each its own ring record, flagged
 * ETRACE_CPU_DIRECT), which is safe against any interleaving. */
#ifndef ETRACE_STAGE_BPF_H
#define ETRACE_STAGE_BPF_H

#define STAGE_BYTES (64 << 10) /* the most a stage holds while the ring is full */

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

/* Keeps clang from knowing a value's range, so that a mask it would prove
 * useless stays in the code for the verifier to see. */
#define opaque(v) asm volatile("" : "+r"(v))

/* Waking the reader costs more than writing a record, so only wake it past
 * a fill watermark; otherwise it drains on its own short timer. */
static __always_inline __u64 wake_flags(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void fill_header(struct etrace_header *h, __u32 size, __u16 type, __u16 nr, __u64 ts,
					__u64 pid_tgid, __u32 cpu)
{
	h->type = type;
	h->size = size;
	h->cpu = cpu;
	h->nr = nr;
	h->ts_ns = ts;
	h->tgid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
}

/* ---- Losses ----------------------------------------------------------- */

static __always_inline struct etrace_loss *gap_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&gaps, &zero);
}

static __always_inline void count_loss(struct etrace_loss *l, __u64 ts)
{
	if (!l->count)
		l->first_ts_ns = ts;
	l->last_ts_ns = ts;
	__sync_fetch_and_add(&l->count, 1); /* a preempted uprobe may count here too */
}

/* A record that found no room: counted in the CPU's gap, and in slot
 * `slot` of a loss map (lost by syscall, lib_lost by function). */
static __always_inline void count_lost_in(void *map, __u32 slot, __u64 ts)
{
	struct etrace_loss *l = bpf_map_lookup_elem(map, &slot);
	struct etrace_loss *g = gap_here();

	if (g)
		count_loss(g, ts);
	if (l)
		count_loss(l, ts);
}

/* ---- Stages ------------------------------------------------------------ */

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
	opaque(n); /* the mask changes nothing (off < STAGE_BYTES) but bounds n */
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

/* Records lost on this CPU since its last record are announced in place,
 * before the next staged record that fits, so the decoder shows the gap
 * where it happened. Returns false when even that could not be written. */
static __always_inline bool announce_gap(struct stage *s, __u64 ts)
{
	struct etrace_loss *g = gap_here();
	struct etrace_loss_record *r;

	if (!g || !g->count)
		return true;
	r = stage_reserve(s, sizeof(*r));
	if (!r)
		return false;
	fill_header(&r->h, sizeof(*r), ETRACE_REC_LOSS, ETRACE_NR_UNKNOWN, ts, bpf_get_current_pid_tgid(), s->cpu);
	r->count = g->count;
	r->first_ts_ns = g->first_ts_ns;
	r->last_ts_ns = g->last_ts_ns;
	g->count = 0;
	stage_commit(s, sizeof(*r));
	return true;
}

/* ---- Writing a record of known size ------------------------------------
 * rec_reserve() returns room for it with its header filled (the current
 * task's), or NULL when it was lost (and counted in slot `loss_slot` of
 * `loss_map`); every record returned is ended by rec_submit(). `direct`
 * is a constant at each call: staged, or straight into the ring. */
static __always_inline void *rec_reserve(bool direct, __u32 size, __u16 type, __u16 nr, __u64 ts, void *loss_map,
					 __u32 loss_slot)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct etrace_header *h = NULL;
	struct stage *s;

	if (direct) {
		h = bpf_ringbuf_reserve(&events, size, 0);
		cpu |= ETRACE_CPU_DIRECT;
	} else {
		s = stage_begin();
		if (!s)
			return NULL;
		if (announce_gap(s, ts))
			h = stage_reserve(s, size);
		if (!h)
			stage_end(s);
	}
	if (!h) {
		count_lost_in(loss_map, loss_slot, ts);
		return NULL;
	}
	fill_header(h, size, type, nr, ts, bpf_get_current_pid_tgid(), cpu);
	return h;
}

static __always_inline void rec_submit(bool direct, void *record)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct stage *s;

	if (direct) {
		bpf_ringbuf_submit(record, wake_flags());
		return;
	}
	s = bpf_map_lookup_elem(&stages, &cpu);
	if (!s)
		return; /* cannot happen: rec_reserve() found it */
	stage_commit(s, ((struct etrace_header *)record)->size);
	stage_end(s);
}

/* Loss slot of process records in map `lost`. */
#define LOST_PROCESS ETRACE_MAX_SYSCALLS

#endif
