/* Layouts shared by the BPF programs and etrace-capture only: what user
 * space writes into the BPF maps, and what it reads back from them. None of
 * it reaches a capture file (that contract is format/records.h), so it may
 * change freely between versions of etrace-capture.
 */
#ifndef ETRACE_BPF_MAP_LAYOUTS_H
#define ETRACE_BPF_MAP_LAYOUTS_H

#ifdef __cplusplus
#include <linux/types.h> /* BPF C has them from vmlinux.h */
#endif

/* Filter sizes (maps target_pids, target_comms, target_cgroups). */
#define ETRACE_MAX_FILTER_COMMS 64
#define ETRACE_MAX_FILTER_PIDS 4096
#define ETRACE_MAX_FILTER_CGROUPS 16

/* Per-syscall configuration (map syscall_config); also per library
 * function (map lib_config, keyed by the function's index). */
enum etrace_syscall_flags {
	ETRACE_SC_TRACE = 1u << 0,
	ETRACE_SC_EXEC = 1u << 1,   /* starts a new image: ends a run-a-command hold */
	ETRACE_SC_COPY_AT_ENTER = 1u << 2, /* the plan has ops that run at enter */
	ETRACE_SC_COPY_AT_EXIT = 1u << 3,  /* ... and at exit */
	ETRACE_SC_RET_VOID = 1u << 4,      /* a library function returning nothing: rax is not a result */
	ETRACE_SC_COMMANDS = 1u << 5,      /* a multiplexed syscall: map command_config may hold the plan of its command */
};

#define ETRACE_MAX_COPY_OPS 8
#define ETRACE_MAX_ARRAY_ITEMS 32   /* argv strings, iovecs copied per op */
#define ETRACE_MAX_COUNTED 1024     /* envp pointers counted at most */
#define ETRACE_MAX_COMMAND_PLANS 1024 /* entries of map command_config */

/* One op of a copy plan: the kernel's copy of format::CopyOp. */
struct etrace_copy_op {
	__u8 kind;       /* enum etrace_copy_kind */
	__u8 arg;        /* the argument register holding the address, ETRACE_ARG_RET or ETRACE_ARG_SP */
	__u8 len_source; /* enum etrace_len_source */
	__u8 len_arg;
	__u16 flags;     /* enum etrace_copy_op_flags */
	__s16 offset;    /* added to the address; ETRACE_OP_INDIRECT: where the pointer to follow lies */
	__u32 size;      /* fixed size, or size of one element */
};

/* The value of maps syscall_config, lib_config and command_config. */
struct etrace_syscall_config {
	__u32 flags;     /* enum etrace_syscall_flags */
	__u32 n_ops;
	/* ETRACE_SC_COMMANDS: the command is (__u32)args[command_arg] & command_mask */
	__u32 command_mask;
	__u32 command_arg;
	struct etrace_copy_op ops[ETRACE_MAX_COPY_OPS];
};

/* The key of map command_config: a syscall and one of its commands. Its
 * plan replaces the syscall's; its items' op indexes follow the syscall's
 * ops (the capture file's copy plans say the same). */
struct etrace_command_key {
	__u32 nr;
	__u32 value;
};

/* Records that found no room, per CPU: by syscall (map `lost`), by library
 * function (map `lib_lost`), and since the CPU's last loss record (map `gaps`). */
struct etrace_loss {
	__u64 count;
	__u64 first_ts_ns;
	__u64 last_ts_ns;
};

/* A task's filter verdict (map target_pids, and the task's state). */
enum etrace_target_flags {
	ETRACE_TARGET_TRACED = 1u << 0,     /* trace */
	ETRACE_TARGET_FROM_EXEC = 1u << 1,  /* trace from its next execve (run-a-command) */
};

/* Map `records`: per CPU, one slot for the syscall programs and these for
 * library-call probes (user space sizes it to 1 without library calls). */
#define ETRACE_LIB_SLOTS 4

/* Set in a record's header cpu when the record went straight into the ring
 * (library calls, whose probes may be preempted) rather than through its
 * CPU's stage: its CPU's staged records may still hold earlier ones.
 * etrace-capture clears it before the record reaches the file. */
#define ETRACE_CPU_DIRECT 0x8000

#ifdef __cplusplus
static_assert(sizeof(struct etrace_copy_op) == 12, "etrace_copy_op layout");
static_assert(sizeof(struct etrace_syscall_config) == 112, "etrace_syscall_config layout");
static_assert(sizeof(struct etrace_command_key) == 8, "etrace_command_key layout");
static_assert(sizeof(struct etrace_loss) == 24, "etrace_loss layout");
#endif

#endif
