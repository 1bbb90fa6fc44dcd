/* Record layouts shared by the BPF programs (bpf/) and user space.
 *
 * These are the bytes the kernel writes into the ring buffer and the bytes
 * stored, unparsed, in a capture file's event frames. Only fixed-width types,
 * explicit padding, little-endian on disk (the only byte order written).
 * The includer provides __u8 .. __u64 (vmlinux.h in BPF, <linux/types.h> in
 * C++). Changing a layout is a format change: see format/FORMAT.md.
 */
#ifndef ETRACE_FORMAT_RECORDS_H
#define ETRACE_FORMAT_RECORDS_H

/* Syscall numbers are looked up in arrays of this size (x86-64 tops at ~470). */
#define ETRACE_MAX_SYSCALLS 1024
#define ETRACE_NR_UNKNOWN 0xffff
#define ETRACE_SYSCALL_ARGS 6
#define ETRACE_COMM_LEN 16
#define ETRACE_MAX_FILTER_COMMS 64
#define ETRACE_MAX_FILTER_PIDS 4096

enum etrace_record_type {
	ETRACE_REC_SYS_ENTER = 1,   /* struct etrace_sys_enter */
	ETRACE_REC_SYS_EXIT = 2,    /* struct etrace_sys_exit */
	ETRACE_REC_TASK = 3,        /* struct etrace_task: first sight of a task, or its comm changed */
	ETRACE_REC_FORK = 4,        /* struct etrace_fork */
	ETRACE_REC_EXEC = 5,        /* struct etrace_exec */
	ETRACE_REC_EXIT = 6,        /* struct etrace_task_exit */
};

/* Common to every record. `size` covers the header and the body, so readers
 * skip records (or trailing fields) they do not know. */
struct etrace_header {
	__u16 type;
	__u16 size;
	__u16 cpu;
	__u16 nr;      /* syscall number, ETRACE_NR_UNKNOWN when not a syscall record */
	__u64 ts_ns;   /* CLOCK_MONOTONIC, as bpf_ktime_get_ns() */
	__u32 tgid;
	__u32 tid;
};

struct etrace_sys_enter {
	struct etrace_header h;
	__u64 args[ETRACE_SYSCALL_ARGS];
};

struct etrace_sys_exit {
	struct etrace_header h;
	__s64 ret;
};

struct etrace_task {
	struct etrace_header h;
	__u32 ppid;        /* tgid of the real parent */
	__u32 reserved;
	char comm[ETRACE_COMM_LEN];
};

struct etrace_fork {
	struct etrace_header h; /* the parent */
	__u32 child_tgid;
	__u32 child_tid;
};

struct etrace_exec {
	struct etrace_header h; /* tid is the task's id after exec (the tgid) */
	__u32 old_tid;          /* differs from tid when a non-leader thread exec'd */
	__u32 reserved;
	char comm[ETRACE_COMM_LEN];
};

struct etrace_task_exit {
	struct etrace_header h;
	__s32 exit_code;   /* wait(2) status: (code << 8) | signal | core flag */
	__u32 group_dead;  /* 1 when the last thread of the process exited */
};

/* Per-syscall configuration written by user space (map syscall_config). */
enum etrace_syscall_flags {
	ETRACE_SC_TRACE = 1u << 0,
	ETRACE_SC_EXEC = 1u << 1,   /* starts a new image: ends a run-a-command hold */
};

/* Records that could not be reserved, per CPU and per syscall (map `lost`). */
struct etrace_loss {
	__u64 count;
	__u64 first_ts_ns;
	__u64 last_ts_ns;
};

/* Per-task filter verdict cached in task storage. */
enum etrace_target_flags {
	ETRACE_TARGET_TRACED = 1u << 0,     /* in map target_pids: trace */
	ETRACE_TARGET_FROM_EXEC = 1u << 1,  /* trace from its next execve (run-a-command) */
};

#ifdef __cplusplus
static_assert(sizeof(struct etrace_header) == 24, "etrace_header layout");
static_assert(sizeof(struct etrace_sys_enter) == 72, "etrace_sys_enter layout");
static_assert(sizeof(struct etrace_sys_exit) == 32, "etrace_sys_exit layout");
static_assert(sizeof(struct etrace_task) == 48, "etrace_task layout");
static_assert(sizeof(struct etrace_fork) == 32, "etrace_fork layout");
static_assert(sizeof(struct etrace_exec) == 48, "etrace_exec layout");
static_assert(sizeof(struct etrace_task_exit) == 32, "etrace_task_exit layout");
static_assert(__builtin_offsetof(struct etrace_header, ts_ns) == 8, "etrace_header.ts_ns");
static_assert(__builtin_offsetof(struct etrace_sys_enter, args) == 24, "etrace_sys_enter.args");
#else
_Static_assert(sizeof(struct etrace_header) == 24, "etrace_header layout");
_Static_assert(sizeof(struct etrace_sys_enter) == 72, "etrace_sys_enter layout");
_Static_assert(sizeof(struct etrace_sys_exit) == 32, "etrace_sys_exit layout");
#endif

#endif
