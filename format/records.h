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
#define ETRACE_CPU_USER 0xffff  /* header cpu of a record etrace-capture wrote itself (1.2) */
#define ETRACE_SYSCALL_ARGS 6
#define ETRACE_COMM_LEN 16

enum etrace_record_type {
	ETRACE_REC_SYS_ENTER = 1,   /* struct etrace_sys_enter */
	ETRACE_REC_SYS_EXIT = 2,    /* struct etrace_sys_exit */
	ETRACE_REC_TASK = 3,        /* struct etrace_task: first sight of a task, or its comm changed */
	ETRACE_REC_FORK = 4,        /* struct etrace_fork */
	ETRACE_REC_EXEC = 5,        /* struct etrace_exec */
	ETRACE_REC_EXIT = 6,        /* struct etrace_task_exit */
	ETRACE_REC_LOSS = 7,        /* struct etrace_loss_record: a gap on this CPU */
	ETRACE_REC_CONTEXT = 8,     /* struct etrace_context: a task's context, first seen or changed (1.2) */
	ETRACE_REC_FD = 9,          /* struct etrace_fd_record: a descriptor open when tracing started (1.2) */
	ETRACE_REC_LIB_ENTER = 10,  /* struct etrace_lib_enter: a library function was called (1.2) */
	ETRACE_REC_LIB_EXIT = 11,   /* struct etrace_lib_exit: ... and returned */
	ETRACE_REC_SIGNAL = 12,     /* struct etrace_signal: a signal delivered, or generated and ignored (1.3) */
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

/* ---- Process context (1.2) ----------------------------------------------
 * Who a task is: recorded when the task is first seen and again when its
 * credentials, namespaces or cgroup change, never per event. The fixed
 * part is followed by payload items (struct etrace_payload): op
 * ETRACE_CTX_ITEM_EXE, the executable's path, only at exec and in the
 * start-up snapshot; then op ETRACE_CTX_ITEM_CGROUP, one item per cgroup v2
 * path component, from the task's cgroup up to (not including) the root,
 * the last flagged MORE when ancestors were left out. */
enum etrace_context_reason {
	ETRACE_CTX_FIRST = 1u << 0,    /* the first context seen of this task */
	ETRACE_CTX_EXEC = 1u << 1,     /* a successful exec */
	ETRACE_CTX_CREDS = 1u << 2,    /* new credentials (set*id, capset, a user namespace) */
	ETRACE_CTX_NS = 1u << 3,       /* new namespaces (setns, unshare) */
	ETRACE_CTX_CGROUP = 1u << 4,   /* moved to another cgroup */
	ETRACE_CTX_SNAPSHOT = 1u << 5, /* written by etrace-capture from /proc at start */
};

enum etrace_context_item {
	ETRACE_CTX_ITEM_EXE = 0,
	ETRACE_CTX_ITEM_CGROUP = 1,
};

/* Namespaces, in the order of etrace_context.ns. */
enum etrace_ns_index {
	ETRACE_NS_PID = 0,  /* the task's own pid namespace (not pid_for_children) */
	ETRACE_NS_MNT,
	ETRACE_NS_NET,
	ETRACE_NS_UTS,
	ETRACE_NS_IPC,
	ETRACE_NS_USER,
	ETRACE_NS_CGROUP,
	ETRACE_NS_TIME,     /* the task's own time namespace (not time_for_children) */
	ETRACE_NS_COUNT,
};

#define ETRACE_MAX_CGROUP_DEPTH 32

struct etrace_context {
	struct etrace_header h; /* nr is ETRACE_NR_UNKNOWN */
	__u32 ppid;             /* tgid of the real parent */
	__u32 reason;           /* enum etrace_context_reason */
	__u32 uid, gid, suid, sgid, euid, egid, fsuid, fsgid; /* as the kernel orders them, in the initial user namespace */
	__u64 cap_effective;
	__u64 cgroup_id;        /* cgroup v2 id: the inode number of its directory */
	__u32 ns[ETRACE_NS_COUNT]; /* namespace inode numbers, as /proc/PID/ns/ shows them */
	char comm[ETRACE_COMM_LEN];
};

/* Library calls (1.2). The header's nr is ETRACE_NR_UNKNOWN: a function
 * is named by its index in the capture's libraries block, which also says
 * what its payload items hold. Payload items follow as for syscalls. */
struct etrace_lib_enter {
	struct etrace_header h;
	__u32 func;   /* the function's index */
	__u32 depth;  /* traced library calls under way in this thread, this one not counted */
	__u64 args[ETRACE_SYSCALL_ARGS]; /* rdi, rsi, rdx, rcx, r8, r9 */
};

struct etrace_lib_exit {
	struct etrace_header h;
	__u32 func;
	__u32 depth;  /* as at the call's entry */
	__s64 ret;    /* rax; 0 for a function returning void */
};

/* ---- Signals (1.3) ------------------------------------------------------
 * A signal the traced thread dequeued to act on it (the signal_deliver
 * tracepoint, in the thread); one sent to it that the kernel discarded at
 * once because it is ignored, or that ends its process at once without
 * being dequeued, its default action being fatal (signal_generate, in the
 * sender): ptrace-based tracers see all three, as the thread stops for
 * each. The header's tgid and tid are the receiving thread's; nr is
 * ETRACE_NR_UNKNOWN. SIGKILL is never recorded: the thread's exit record
 * says it was killed. */
enum etrace_signal_kind {
	ETRACE_SIGNAL_DELIVERED = 1,
	ETRACE_SIGNAL_IGNORED = 2,
	ETRACE_SIGNAL_FATAL = 3,
};

#define ETRACE_SIGINFO_SIZE 48 /* struct kernel_siginfo: siginfo_t's first 48 bytes on x86-64 */

struct etrace_signal {
	struct etrace_header h;
	__s32 signo;
	__u32 kind;         /* enum etrace_signal_kind */
	__u64 handler;      /* delivered: sa_handler (0 SIG_DFL, 1 SIG_IGN, else its address) */
	__u64 sa_flags;     /* delivered: the action's flags */
	__u32 sender_tgid;  /* ignored, fatal: the task current when it was sent (the sender; 0: the idle task) */
	__u32 sender_tid;
	__u8 info[ETRACE_SIGINFO_SIZE]; /* the siginfo, as the thread would receive it */
};

/* A copy op's `arg` naming the return value instead of an argument register
 * (a library function returning a string), or the user stack pointer at
 * the syscall's entry (1.3: with the op's `offset`, memory no argument
 * points at, such as the signal frame a sigreturn restores). */
#define ETRACE_ARG_RET 6
#define ETRACE_ARG_SP 7

/* ---- Copy plans: what BPF copies from user memory, per syscall ----------
 * User space derives them from format/syscall_semantics.h and kernel BTF,
 * writes them into the capture's copy-plans block, and hands them to BPF
 * (bpf/map_layouts.h); the BPF side follows them without knowing any
 * syscall. A plan's ops run in order; payload items name their op by index. */
#define ETRACE_MAX_ITEM 8192        /* one item holds fewer bytes than this: the caps stay below it */
#define ETRACE_MAX_RECORD 16384     /* a record with payloads never exceeds this */

enum etrace_copy_kind {
	ETRACE_COPY_NONE = 0,
	ETRACE_COPY_STRING = 1,   /* NUL-terminated, up to the string cap */
	ETRACE_COPY_BYTES = 2,    /* `len` bytes (see etrace_len_source), up to the byte cap unless WHOLE */
	ETRACE_COPY_STRINGS = 3,  /* NULL-terminated array of string pointers: one item per string */
	ETRACE_COPY_COUNT = 4,    /* NULL-terminated array of pointers: counted, not copied (full_len = count) */
	ETRACE_COPY_IOVEC = 5,    /* `len` struct iovec: one item per buffer, bytes bounded by ret at exit */
	ETRACE_COPY_MSGHDR = 6,   /* struct user_msghdr (`size` bytes), then its msg_name (msg_namelen
	                           * bytes) and its iovecs as ETRACE_COPY_IOVEC does */
	ETRACE_COPY_DIRENTS = 7,  /* getdents64's linux_dirent64 records: as ETRACE_COPY_BYTES; when the
	                           * bytes are cut, then an item counting the records in all `len` (1.3) */
};

#define ETRACE_MAX_DIRENTS 2048 /* dirent records counted at most */

enum etrace_len_source {
	ETRACE_LEN_FIXED = 0,      /* op.size */
	ETRACE_LEN_ARG = 1,        /* args[op.len_arg] * op.size */
	ETRACE_LEN_RET = 2,        /* ret * op.size */
	ETRACE_LEN_ARG_DEREF = 3,  /* *(__u32 *)args[op.len_arg] * op.size, read when the op runs */
	ETRACE_LEN_ARG_BITS = 4,   /* (args[op.len_arg] + 63) / 64 * 8: an fd_set of that many bits */
};

enum etrace_copy_op_flags {
	ETRACE_OP_AT_EXIT = 1u << 0, /* run at exit, only when ret >= 0; else at enter */
	ETRACE_OP_WHOLE = 1u << 1,   /* a struct: not cut by the byte cap (only by ETRACE_MAX_RECORD) */
	ETRACE_OP_INDIRECT = 1u << 2, /* the address is the pointer at `offset` in the struct args[arg] points at (1.4) */
};

/* ---- Payloads: the copied bytes, after a syscall record's fixed part -------
 * A SYS_ENTER or SYS_EXIT record of `size` bytes is its fixed struct followed
 * by payload items up to `size`, each an etrace_payload header and `len`
 * bytes, padded to 8. Items come in op order; an op may yield several items
 * (STRINGS, IOVEC) or none (a NULL address yields one item flagged NULL). */
enum etrace_payload_flags {
	ETRACE_PAYLOAD_FAULT = 1u << 0,     /* the address could not be read: no bytes */
	ETRACE_PAYLOAD_CUT = 1u << 1,       /* fewer bytes than full_len (or a string with no end seen) */
	ETRACE_PAYLOAD_MORE = 1u << 2,      /* an array had more elements than were copied */
	ETRACE_PAYLOAD_NULL = 1u << 3,      /* the address was NULL: no bytes */
};

struct etrace_payload {
	__u8 op;         /* index of the op in the syscall's plan */
	__u8 flags;      /* enum etrace_payload_flags */
	__u16 len;       /* bytes that follow */
	__u32 full_len;  /* the object's real length (string without NUL, buffer, array count) */
};

/* Written on a CPU before its first record after a gap: `count` records
 * of any kind could not be reserved there between first_ts_ns and
 * last_ts_ns. The header's ts_ns is when the gap was noticed; nr is
 * ETRACE_NR_UNKNOWN. Gaps still open when capture stops are written by user
 * space after the last records, with tgid and tid 0. */
struct etrace_loss_record {
	struct etrace_header h;
	__u64 count;
	__u64 first_ts_ns;
	__u64 last_ts_ns;
};

/* Written by user space, not BPF: one descriptor of a traced process as
 * /proc showed it when tracing started, before the process's first record.
 * `target` (size - sizeof(struct etrace_fd_record) bytes, NUL-padded to 8)
 * is what readlink(/proc/PID/fd/FD) returned: "/etc/hosts", "pipe:[123]",
 * "socket:[456]", "anon_inode:[eventfd]". fd ETRACE_FD_CWD carries the
 * working directory. cpu and nr are ETRACE_NR_UNKNOWN, tid is tgid. */
#define ETRACE_FD_CWD (-100)      /* AT_FDCWD */
struct etrace_fd_record {
	struct etrace_header h;
	__s32 fd;
	__u32 flags;       /* open flags from /proc/PID/fdinfo/FD (O_CLOEXEC among them) */
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
static_assert(sizeof(struct etrace_payload) == 8, "etrace_payload layout");
static_assert(sizeof(struct etrace_loss_record) == 48, "etrace_loss_record layout");
static_assert(sizeof(struct etrace_fd_record) == 32, "etrace_fd_record layout");
static_assert(sizeof(struct etrace_lib_enter) == 80, "etrace_lib_enter layout");
static_assert(sizeof(struct etrace_lib_exit) == 40, "etrace_lib_exit layout");
static_assert(sizeof(struct etrace_context) == 128, "etrace_context layout");
static_assert(sizeof(struct etrace_signal) == 104, "etrace_signal layout");
#else
_Static_assert(sizeof(struct etrace_header) == 24, "etrace_header layout");
_Static_assert(sizeof(struct etrace_sys_enter) == 72, "etrace_sys_enter layout");
_Static_assert(sizeof(struct etrace_sys_exit) == 32, "etrace_sys_exit layout");
#endif

#endif
