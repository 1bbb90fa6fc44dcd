/* Configuration and maps of etrace's kernel side. Configuration is read-only
 * data set by user space between open and load: the verifier sees its
 * values, so a branch that a setting rules out is never verified (this is
 * how one object takes the path each kernel can run). */
#ifndef ETRACE_MAPS_BPF_H
#define ETRACE_MAPS_BPF_H

/* What to trace. */
const volatile __u32 self_tgid = 0;
const volatile __u32 viewer_tgid = 0;  /* --live: the decoder showing the capture */
const volatile __u8 trace_all = 0;       /* no target given: the whole system */
const volatile __u8 filter_comm = 0;     /* target_comms is in use */
const volatile __u8 follow_children = 1;
const volatile __u32 filter_cgroups = 0; /* --cgroup: entries of target_cgroups in use */

/* How much to copy (--bytes, --string-limit). */
const volatile __u32 bytes_cap = 256;
const volatile __u32 string_cap = 4096;

/* Wake the reader past this much unread data; hand a stage to the ring
 * past stage_batch bytes; a stage holds less than stage_limit. */
const volatile __u64 wakeup_bytes = 1 << 20;
const volatile __u32 stage_batch = 16 << 10;
const volatile __u32 stage_limit = 64 << 10;

/* Kernel paths, from etrace-capture's probes (capture/kernel_features):
 * task_btf: bpf_get_current_task_btf() and task storage in tracing
 * programs (Linux 5.13); without, a task's state is kept in a hash map by
 * thread id and the current task is read through bpf_probe_read_kernel().
 * lib_calls: the library-call programs are loaded (which needs task_btf
 * and attach cookies). */
const volatile __u8 task_btf = 1;
const volatile __u8 lib_calls = 0;

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

/* The plans of multiplexed syscalls' commands (ioctl's TCGETS, prctl's
 * PR_GET_NAME): looked up by syscall and command when the syscall's
 * config says ETRACE_SC_COMMANDS. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ETRACE_MAX_COMMAND_PLANS);
	__type(key, struct etrace_command_key);
	__type(value, struct etrace_syscall_config);
} command_config SEC(".maps");

/* Library calls: one entry per traced function (resized by user space). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct etrace_syscall_config);
} lib_config SEC(".maps");

/* Losses per CPU: by syscall (index ETRACE_MAX_SYSCALLS counts process
 * records), by library function, and since the CPU's last loss record.
 * User space reads them at the stop. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ETRACE_MAX_SYSCALLS + 1);
	__type(key, __u32);
	__type(value, struct etrace_loss);
} lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1); /* resized as lib_config */
	__type(key, __u32);
	__type(value, struct etrace_loss);
} lib_lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct etrace_loss);
} gaps SEC(".maps");

/* Filters. */
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

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, ETRACE_MAX_FILTER_CGROUPS);
	__type(key, __u32);
	__type(value, __u32);
} target_cgroups SEC(".maps");

#endif
