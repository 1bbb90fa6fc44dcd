// The command table (catalog/syscall_commands.h): per command of a
// multiplexed syscall, its arguments. The values come from the UAPI
// headers, computed by the compiler; only the names are written here.
//
// SELECTOR(SYSCALL, ARG, MASK): the command is (uint32_t)args[ARG] & MASK.
// COMMAND(SYSCALL, NAME, WORDS...): the command whose value is NAME's;
// COMMAND_VALUE(SYSCALL, NAME, VALUE, WORDS...) when the value is not the
// constant itself (quotactl's QCMD). WORDS, by position:
//   KIND           as in the semantics table (syscall_semantics_table.cpp),
//                  plus int_at:NOTATION and long_at:NOTATION, the int or
//                  long an argument points at (shown "[...]"; NOTATION is
//                  int, uint, hex, ptr, sig or a constant set), and
//                  struct:TYPE:LENGTH, a struct copied as long as LENGTH says
//   -              an argument strace does not show for this command
//   argN.MEMBER=KIND  after the arguments: memory that member of argument
//                  N's struct points at, copied too (bpf_attr's license;
//                  a member of a member is spelled with dots, as BTF has it)
//   -> enum:SET | flags:SET  what strace adds after a successful result
// Arguments after the last word are not shown. A command not listed is
// shown by the syscall's line of the semantics table.
//
// Which arguments strace shows and how, per command, was read from strace
// 6.1's output over programs making each call.
#include <asm/ioctls.h>
#include <asm/prctl.h>
#include <linux/bpf.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <linux/keyctl.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/quota.h>
#include <linux/sockios.h>

#include <cstddef>
#include <cstdint>

#include "catalog/syscall_commands.h"

namespace etrace::catalog {

#define SELECTOR(syscall, arg, mask) {#syscall, arg, static_cast<uint32_t>(mask)}
#define COMMAND(syscall, name, ...) {#syscall, #name, static_cast<uint32_t>(name), #__VA_ARGS__}
#define COMMAND_VALUE(syscall, name, value, ...) {#syscall, #name, static_cast<uint32_t>(value), #__VA_ARGS__}

extern const SelectorLine kCommandSelectors[] = {
    SELECTOR(ioctl, 1, 0xffffffff),
    SELECTOR(prctl, 0, 0xffffffff),
    SELECTOR(arch_prctl, 0, 0xffffffff),
    SELECTOR(futex, 1, FUTEX_CMD_MASK),
    SELECTOR(keyctl, 0, 0xffffffff),
    SELECTOR(bpf, 0, 0xffffffff),
    SELECTOR(ptrace, 0, 0xffffffff),
    SELECTOR(quotactl, 0, ~SUBCMDMASK),
};
extern const size_t kCommandSelectorCount = sizeof kCommandSelectors / sizeof kCommandSelectors[0];

extern const CommandLine kCommandLines[] = {
    // --- ioctl(fd, request, arg): terminals
    COMMAND(ioctl, TCGETS, fd enum:ioctl struct_out:termios),
    COMMAND(ioctl, TCSETS, fd enum:ioctl struct_in:termios),
    COMMAND(ioctl, TCSETSW, fd enum:ioctl struct_in:termios),
    COMMAND(ioctl, TCSETSF, fd enum:ioctl struct_in:termios),
    COMMAND(ioctl, TIOCGWINSZ, fd enum:ioctl struct_out:winsize),
    COMMAND(ioctl, TIOCSWINSZ, fd enum:ioctl struct_in:winsize),
    COMMAND(ioctl, TIOCGPGRP, fd enum:ioctl int_at_out:int),
    COMMAND(ioctl, TIOCSPGRP, fd enum:ioctl int_at_in:int),
    COMMAND(ioctl, TIOCGSID, fd enum:ioctl int_at_out:int),
    COMMAND(ioctl, TIOCOUTQ, fd enum:ioctl int_at_out:int),
    COMMAND(ioctl, TIOCGETD, fd enum:ioctl int_at_out:int),
    COMMAND(ioctl, TIOCSETD, fd enum:ioctl int_at_in:int),
    COMMAND(ioctl, TIOCGPTN, fd enum:ioctl int_at_out:int),
    COMMAND(ioctl, TIOCSPTLCK, fd enum:ioctl int_at_in:int),
    COMMAND(ioctl, TIOCMGET, fd enum:ioctl int_at_out:modem),
    COMMAND(ioctl, TIOCMSET, fd enum:ioctl int_at_in:modem),
    COMMAND(ioctl, TIOCMBIS, fd enum:ioctl int_at_in:modem),
    COMMAND(ioctl, TIOCMBIC, fd enum:ioctl int_at_in:modem),
    COMMAND(ioctl, TIOCSCTTY, fd enum:ioctl int),
    COMMAND(ioctl, TIOCNOTTY, fd enum:ioctl),
    COMMAND(ioctl, TIOCEXCL, fd enum:ioctl),
    COMMAND(ioctl, TIOCNXCL, fd enum:ioctl),
    COMMAND(ioctl, TIOCCONS, fd enum:ioctl),
    COMMAND(ioctl, TCFLSH, fd enum:ioctl enum:tcflsh),
    COMMAND(ioctl, TCXONC, fd enum:ioctl enum:tcxonc),
    COMMAND(ioctl, TCSBRK, fd enum:ioctl int),
    COMMAND(ioctl, TCSBRKP, fd enum:ioctl int),
    // ... any file
    COMMAND(ioctl, FIONREAD, fd enum:ioctl int_at_out:int),
    COMMAND(ioctl, FIONBIO, fd enum:ioctl int_at_in:int),
    COMMAND(ioctl, FIOASYNC, fd enum:ioctl int_at_in:int),
    COMMAND(ioctl, FIOCLEX, fd enum:ioctl),
    COMMAND(ioctl, FIONCLEX, fd enum:ioctl),
    COMMAND(ioctl, FS_IOC_GETFLAGS, fd enum:ioctl int_at_out:fs_flags),
    COMMAND(ioctl, FS_IOC_SETFLAGS, fd enum:ioctl int_at_in:fs_flags),
    // ... block devices
    COMMAND(ioctl, BLKGETSIZE64, fd enum:ioctl long_at_out:uint),
    COMMAND(ioctl, BLKGETSIZE, fd enum:ioctl long_at_out:uint),
    COMMAND(ioctl, BLKSSZGET, fd enum:ioctl int_at_out:int),
    COMMAND(ioctl, BLKPBSZGET, fd enum:ioctl int_at_out:uint),
    COMMAND(ioctl, BLKROGET, fd enum:ioctl int_at_out:int),
    // ... network interfaces: the struct ifreq member each request reads or
    // writes is shown by the decoder (decode/arguments/command_structs.cpp)
    COMMAND(ioctl, SIOCGIFINDEX, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCGIFNAME, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCGIFFLAGS, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCSIFFLAGS, fd enum:ioctl struct_in:ifreq),
    COMMAND(ioctl, SIOCGIFMTU, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCSIFMTU, fd enum:ioctl struct_in:ifreq),
    COMMAND(ioctl, SIOCGIFTXQLEN, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCGIFMETRIC, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCGIFADDR, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCGIFNETMASK, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCGIFBRDADDR, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCGIFDSTADDR, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCGIFHWADDR, fd enum:ioctl struct_inout:ifreq),
    COMMAND(ioctl, SIOCGIFCONF, fd enum:ioctl struct_inout:ifconf arg2.ifc_ifcu.ifcu_buf=buf_out:*arg2),

    // --- prctl(option, arg2, arg3, arg4, arg5)
    COMMAND(prctl, PR_CAPBSET_READ, enum:prctl enum:cap),
    COMMAND(prctl, PR_CAPBSET_DROP, enum:prctl enum:cap),
    COMMAND(prctl, PR_SET_NAME, enum:prctl str),
    COMMAND(prctl, PR_GET_NAME, enum:prctl str_out),
    COMMAND(prctl, PR_SET_PDEATHSIG, enum:prctl sig),
    COMMAND(prctl, PR_GET_PDEATHSIG, enum:prctl int_at_out:sig),
    COMMAND(prctl, PR_SET_DUMPABLE, enum:prctl enum:suid_dump),
    COMMAND(prctl, PR_GET_DUMPABLE, enum:prctl -> enum:suid_dump),
    COMMAND(prctl, PR_SET_KEEPCAPS, enum:prctl uint),
    COMMAND(prctl, PR_GET_KEEPCAPS, enum:prctl),
    COMMAND(prctl, PR_SET_NO_NEW_PRIVS, enum:prctl uint uint uint uint),
    COMMAND(prctl, PR_GET_NO_NEW_PRIVS, enum:prctl uint uint uint uint),
    COMMAND(prctl, PR_SET_CHILD_SUBREAPER, enum:prctl uint),
    COMMAND(prctl, PR_GET_CHILD_SUBREAPER, enum:prctl int_at_out:int),
    COMMAND(prctl, PR_GET_TID_ADDRESS, enum:prctl long_at_out:ptr),
    COMMAND(prctl, PR_SET_TIMERSLACK, enum:prctl uint),
    COMMAND(prctl, PR_GET_TIMERSLACK, enum:prctl),
    COMMAND(prctl, PR_GET_SECUREBITS, enum:prctl -> flags:secbits),
    COMMAND(prctl, PR_SET_SECUREBITS, enum:prctl flags:secbits),
    COMMAND(prctl, PR_GET_SECCOMP, enum:prctl),
    COMMAND(prctl, PR_SET_TSC, enum:prctl enum:pr_tsc),
    COMMAND(prctl, PR_GET_TSC, enum:prctl int_at_out:pr_tsc),
    COMMAND(prctl, PR_SET_THP_DISABLE, enum:prctl uint uint uint uint),
    COMMAND(prctl, PR_GET_THP_DISABLE, enum:prctl uint uint uint uint),
    COMMAND(prctl, PR_GET_SPECULATION_CTRL, enum:prctl enum:pr_spec -> flags:pr_spec_ctrl),
    COMMAND(prctl, PR_SET_SPECULATION_CTRL, enum:prctl enum:pr_spec flags:pr_spec_ctrl),
    COMMAND(prctl, PR_MCE_KILL_GET, enum:prctl uint uint uint uint -> enum:pr_mce_kill_policy),
    COMMAND(prctl, PR_GET_FP_MODE, enum:prctl),
    COMMAND(prctl, PR_SET_IO_FLUSHER, enum:prctl uint uint uint uint),
    COMMAND(prctl, PR_GET_IO_FLUSHER, enum:prctl uint uint uint uint),
    COMMAND(prctl, PR_TASK_PERF_EVENTS_DISABLE, enum:prctl),
    COMMAND(prctl, PR_TASK_PERF_EVENTS_ENABLE, enum:prctl),
    COMMAND(prctl, PR_SET_VMA, enum:prctl enum:pr_set_vma hex uint str),

    // --- arch_prctl(code, addr)
    COMMAND(arch_prctl, ARCH_SET_FS, enum:arch_prctl hex),
    COMMAND(arch_prctl, ARCH_SET_GS, enum:arch_prctl hex),
    COMMAND(arch_prctl, ARCH_GET_FS, enum:arch_prctl long_at_out:ptr),
    COMMAND(arch_prctl, ARCH_GET_GS, enum:arch_prctl long_at_out:ptr),
    COMMAND(arch_prctl, ARCH_GET_CPUID, enum:arch_prctl),
    COMMAND(arch_prctl, ARCH_SET_CPUID, enum:arch_prctl hex),

    // --- futex(uaddr, op, val, timeout or val2, uaddr2, val3)
    COMMAND(futex, FUTEX_WAIT, ptr enum:futex_op uint struct_in:__kernel_timespec),
    COMMAND(futex, FUTEX_WAKE, ptr enum:futex_op uint),
    COMMAND(futex, FUTEX_FD, ptr enum:futex_op uint),
    COMMAND(futex, FUTEX_REQUEUE, ptr enum:futex_op uint uint ptr),
    COMMAND(futex, FUTEX_CMP_REQUEUE, ptr enum:futex_op uint uint ptr uint),
    COMMAND(futex, FUTEX_WAKE_OP, ptr enum:futex_op uint uint ptr enum:futex_wake_op),
    COMMAND(futex, FUTEX_LOCK_PI, ptr enum:futex_op - struct_in:__kernel_timespec),
    COMMAND(futex, FUTEX_LOCK_PI2, ptr enum:futex_op - struct_in:__kernel_timespec),
    COMMAND(futex, FUTEX_UNLOCK_PI, ptr enum:futex_op),
    COMMAND(futex, FUTEX_TRYLOCK_PI, ptr enum:futex_op),
    COMMAND(futex, FUTEX_WAIT_BITSET, ptr enum:futex_op uint struct_in:__kernel_timespec - enum:futex_bitset),
    COMMAND(futex, FUTEX_WAKE_BITSET, ptr enum:futex_op uint - - enum:futex_bitset),
    COMMAND(futex, FUTEX_WAIT_REQUEUE_PI, ptr enum:futex_op uint struct_in:__kernel_timespec ptr),
    COMMAND(futex, FUTEX_CMP_REQUEUE_PI, ptr enum:futex_op uint uint ptr uint),

    // --- keyctl(cmd, arg2, arg3, arg4, arg5)
    COMMAND(keyctl, KEYCTL_GET_KEYRING_ID, enum:keyctl enum:key_serial int),
    COMMAND(keyctl, KEYCTL_JOIN_SESSION_KEYRING, enum:keyctl str),
    COMMAND(keyctl, KEYCTL_UPDATE, enum:keyctl enum:key_serial buf_in:arg3 uint),
    COMMAND(keyctl, KEYCTL_REVOKE, enum:keyctl enum:key_serial),
    COMMAND(keyctl, KEYCTL_CHOWN, enum:keyctl enum:key_serial int int),
    COMMAND(keyctl, KEYCTL_SETPERM, enum:keyctl enum:key_serial flags:key_perm),
    COMMAND(keyctl, KEYCTL_DESCRIBE, enum:keyctl enum:key_serial str_out uint),
    COMMAND(keyctl, KEYCTL_CLEAR, enum:keyctl enum:key_serial),
    COMMAND(keyctl, KEYCTL_LINK, enum:keyctl enum:key_serial enum:key_serial),
    COMMAND(keyctl, KEYCTL_UNLINK, enum:keyctl enum:key_serial enum:key_serial),
    COMMAND(keyctl, KEYCTL_SEARCH, enum:keyctl enum:key_serial str str enum:key_serial),
    COMMAND(keyctl, KEYCTL_READ, enum:keyctl enum:key_serial buf_out:ret uint),
    COMMAND(keyctl, KEYCTL_SET_REQKEY_KEYRING, enum:keyctl enum:key_reqkey_defl),
    COMMAND(keyctl, KEYCTL_SET_TIMEOUT, enum:keyctl enum:key_serial uint),
    COMMAND(keyctl, KEYCTL_GET_SECURITY, enum:keyctl enum:key_serial str_out uint),
    COMMAND(keyctl, KEYCTL_SESSION_TO_PARENT, enum:keyctl),
    COMMAND(keyctl, KEYCTL_INVALIDATE, enum:keyctl enum:key_serial),
    COMMAND(keyctl, KEYCTL_GET_PERSISTENT, enum:keyctl int enum:key_serial),

    // --- bpf(cmd, attr, size): the members of union bpf_attr each command
    // reads are shown by the decoder (decode/arguments/command_structs.cpp)
    COMMAND(bpf, BPF_MAP_CREATE, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_MAP_LOOKUP_ELEM, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_MAP_UPDATE_ELEM, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_MAP_DELETE_ELEM, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_MAP_GET_NEXT_KEY, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_PROG_LOAD, enum:bpf_cmd struct_in:bpf_attr:arg2 uint arg1.license=str),
    COMMAND(bpf, BPF_OBJ_PIN, enum:bpf_cmd struct_in:bpf_attr:arg2 uint arg1.pathname=path),
    COMMAND(bpf, BPF_OBJ_GET, enum:bpf_cmd struct_in:bpf_attr:arg2 uint arg1.pathname=path),
    COMMAND(bpf, BPF_PROG_GET_NEXT_ID, enum:bpf_cmd struct_inout:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_MAP_GET_NEXT_ID, enum:bpf_cmd struct_inout:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_LINK_GET_NEXT_ID, enum:bpf_cmd struct_inout:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_BTF_GET_NEXT_ID, enum:bpf_cmd struct_inout:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_PROG_GET_FD_BY_ID, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_MAP_GET_FD_BY_ID, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_LINK_GET_FD_BY_ID, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_BTF_GET_FD_BY_ID, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_OBJ_GET_INFO_BY_FD, enum:bpf_cmd struct_inout:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_LINK_CREATE, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),
    COMMAND(bpf, BPF_BTF_LOAD, enum:bpf_cmd struct_in:bpf_attr:arg2 uint),

    // --- ptrace(request, pid, addr, data)
    COMMAND(ptrace, PTRACE_TRACEME, enum:ptrace),
    COMMAND(ptrace, PTRACE_ATTACH, enum:ptrace int),
    COMMAND(ptrace, PTRACE_KILL, enum:ptrace int),
    COMMAND(ptrace, PTRACE_INTERRUPT, enum:ptrace int),
    COMMAND(ptrace, PTRACE_LISTEN, enum:ptrace int),
    COMMAND(ptrace, PTRACE_PEEKTEXT, enum:ptrace int ptr long_at_out:hex),
    COMMAND(ptrace, PTRACE_PEEKDATA, enum:ptrace int ptr long_at_out:hex),
    COMMAND(ptrace, PTRACE_PEEKUSR, enum:ptrace int enum:ptrace_user long_at_out:hex),
    COMMAND(ptrace, PTRACE_POKETEXT, enum:ptrace int ptr hex),
    COMMAND(ptrace, PTRACE_POKEDATA, enum:ptrace int ptr hex),
    COMMAND(ptrace, PTRACE_POKEUSR, enum:ptrace int enum:ptrace_user hex),
    COMMAND(ptrace, PTRACE_CONT, enum:ptrace int ptr sig),
    COMMAND(ptrace, PTRACE_SYSCALL, enum:ptrace int ptr sig),
    COMMAND(ptrace, PTRACE_SINGLESTEP, enum:ptrace int ptr sig),
    COMMAND(ptrace, PTRACE_DETACH, enum:ptrace int ptr sig),
    COMMAND(ptrace, PTRACE_GETREGS, enum:ptrace int - struct_out:user_regs_struct),
    COMMAND(ptrace, PTRACE_SETREGS, enum:ptrace int - struct_in:user_regs_struct),
    COMMAND(ptrace, PTRACE_SETOPTIONS, enum:ptrace int ptr flags:ptrace_o),
    COMMAND(ptrace, PTRACE_SEIZE, enum:ptrace int ptr flags:ptrace_o),
    COMMAND(ptrace, PTRACE_GETEVENTMSG, enum:ptrace int ptr long_at_out:uint),
    COMMAND(ptrace, PTRACE_GETSIGINFO, enum:ptrace int ptr struct_out:siginfo),
    COMMAND(ptrace, PTRACE_SETSIGINFO, enum:ptrace int ptr struct_in:siginfo),
    COMMAND(ptrace, PTRACE_GET_SYSCALL_INFO, enum:ptrace int uint struct_out:ptrace_syscall_info),

    // --- quotactl(QCMD(cmd, type), special, id, addr)
    COMMAND_VALUE(quotactl, Q_QUOTAON, QCMD(Q_QUOTAON, 0), enum:qcmd path enum:quota_format path),
    COMMAND_VALUE(quotactl, Q_QUOTAOFF, QCMD(Q_QUOTAOFF, 0), enum:qcmd path),
    COMMAND_VALUE(quotactl, Q_GETFMT, QCMD(Q_GETFMT, 0), enum:qcmd path - int_at_out:quota_format),
    COMMAND_VALUE(quotactl, Q_GETINFO, QCMD(Q_GETINFO, 0), enum:qcmd path - struct_out:if_dqinfo),
    COMMAND_VALUE(quotactl, Q_SETINFO, QCMD(Q_SETINFO, 0), enum:qcmd path - struct_in:if_dqinfo),
    COMMAND_VALUE(quotactl, Q_GETQUOTA, QCMD(Q_GETQUOTA, 0), enum:qcmd path int struct_out:if_dqblk),
    COMMAND_VALUE(quotactl, Q_SETQUOTA, QCMD(Q_SETQUOTA, 0), enum:qcmd path int struct_in:if_dqblk),
    COMMAND_VALUE(quotactl, Q_SYNC, QCMD(Q_SYNC, 0), enum:qcmd path),
};
extern const size_t kCommandLineCount = sizeof kCommandLines / sizeof kCommandLines[0];

}  // namespace etrace::catalog
