// The semantics table (catalog/syscall_semantics.h): every syscall of the
// x86-64 UAPI headers, in syscall-number order.
//
// One line per syscall:   NAME  CLASSES  ARG0 ARG1 ...  [-> RETURN]  [fds=EFFECT]
//   CLASSES  comma-separated trace classes (file desc net process memory
//            signal ipc creds clock stat lstat fstat statfs fstatfs pure), or -
//   ARGn     KIND[_in|_out|_inout][:PARAM][:LENGTH], by position as the
//            kernel's sys_enter_<name> tracepoint lists them; arguments
//            after the last one listed are shown in hex
//     in the register:  int uint hex ptr fd dirfd mode fmode sig
//                       flags:SET enum:SET   (SET names a constant table)
//     in memory:        path str buf:LEN struct:TYPE[:LEN] array:TYPE:LEN
//                       sockaddr:LEN socklen intptr int_at:NOTE long_at:NOTE
//                       iovec:LEN msghdr argv envp sigset:LEN fdset:LEN
//                       dirents:LEN
//                       (int_at, long_at: the int or long pointed at, in the
//                       notation NOTE: int uint hex ptr sig or a SET)
//     TYPE     a struct name in kernel BTF ("stat", "__kernel_timespec"),
//              or a base type ("int", "u32", "u64")
//     LENGTH   argN (that argument's value), *argN (the int it points at),
//              ret (the return value; outputs only), or a count (1 to 99)
//     direction: _in is copied at enter, _out at exit when the call
//              succeeded, _inout both; each kind has a default
//     @sp-N+STRUCT.MEMBER...  an input no register holds: read at enter
//              from the user stack, at the stack pointer minus N plus the
//              member's offset in the kernel's BTF
//   RETURN   int (default) fd addr hex none, or pid: a process id, and the
//            call's outputs were written only when it is positive
//   EFFECT   what the call does to its process's descriptors, which
//            decode -y follows: open openat openat2 creat memfd (a path),
//            socket socketpair accept accept4 bind connect getsockname
//            getpeername (a socket and its addresses), dup dup2 dup3 fcntl
//            close close_range, pipe pipe2, anon (an anonymous inode),
//            signalfd signalfd4, chdir fchdir, unshare clone clone3 (what a
//            later fork shares). Without one, a call that returns an fd
//            makes a descriptor decode knows nothing of.
//
// Classes are strace's (6.1), read from `strace -e trace=%CLASS` over a
// program that makes every syscall once; exit_group was added by hand, as
// that program needs it to end.
//
// Choices worth knowing:
//   - Multiplexed syscalls (ioctl, prctl, futex, bpf, keyctl, ptrace,
//     arch_prctl, quotactl) are described per command by the command table
//     (syscall_commands_table.cpp); their line here is for the commands it
//     does not list.
//   - An address into another process (process_vm_*'s remote iovecs,
//     process_madvise) or a buffer whose length only the op knows (msgsnd's
//     msgbuf, syslog, mincore's vector) stays a ptr: copying it here would
//     read the wrong memory or guess a length.
//   - loff_t pointers (sendfile, splice, copy_file_range) and time_t * are
//     one-element u64 arrays, shown [N] as strace does.
//   - nanosleep and clock_nanosleep write the time left only when a signal
//     interrupts them, and outputs are copied only from calls that
//     succeed: it stays an address, as strace shows it after a full sleep.
//   - rt_sigreturn's argument is the mask it restores, in the signal frame
//     on the stack: the handler's return popped the frame's first word
//     (pretcode), so the frame starts 8 bytes below the stack pointer.
namespace etrace::catalog {

extern const char kSyscallSemanticsTable[] = R"(
read                    desc                fd buf_out:ret uint
write                   desc                fd buf_in:arg2 uint
open                    file,desc           path flags:open mode -> fd  fds=open
close                   desc                fd  fds=close
stat                    file,stat           path struct_out:stat
fstat                   desc,fstat          fd struct_out:stat
lstat                   file,lstat          path struct_out:stat
poll                    desc                array_inout:pollfd:arg1 uint int
lseek                   desc                fd int enum:whence
mmap                    desc,memory         ptr uint flags:prot flags:map fd hex -> addr
mprotect                memory              ptr uint flags:prot
munmap                  memory              ptr uint
brk                     memory              ptr -> addr
rt_sigaction            signal              sig struct_in:sigaction struct_out:sigaction uint
rt_sigprocmask          signal              enum:sighow sigset_in:arg3 sigset_out:arg3 uint
rt_sigreturn            signal              sigset_in:8@sp-8+rt_sigframe.uc.uc_sigmask
ioctl                   desc                fd enum:ioctl hex
pread64                 desc                fd buf_out:ret uint int
pwrite64                desc                fd buf_in:arg2 uint int
readv                   desc                fd iovec_out:arg2 int
writev                  desc                fd iovec_in:arg2 int
access                  file                path flags:access
pipe                    desc                array_out:int:2  fds=pipe
select                  desc                int fdset_inout:arg0 fdset_inout:arg0 fdset_inout:arg0 struct_inout:__kernel_old_timeval
sched_yield             -
mremap                  memory              ptr uint uint flags:mremap ptr -> addr
msync                   memory              ptr uint flags:msync
mincore                 memory              ptr uint ptr
madvise                 memory              ptr uint enum:madvise
shmget                  ipc                 hex uint hex
shmat                   memory,ipc          int ptr hex -> addr
shmctl                  ipc                 int int ptr
dup                     desc                fd -> fd  fds=dup
dup2                    desc                fd fd -> fd  fds=dup2
pause                   signal
nanosleep               -                   struct_in:__kernel_timespec ptr
getitimer               -                   enum:itimer struct_out:__kernel_old_itimerval
alarm                   -                   uint
setitimer               -                   enum:itimer struct_in:__kernel_old_itimerval struct_out:__kernel_old_itimerval
getpid                  pure
sendfile                desc,net            fd fd array_inout:u64:1 uint
socket                  net                 enum:af enum:socktype enum:ipproto -> fd  fds=socket
connect                 net                 fd sockaddr_in:arg2 int  fds=connect
accept                  net                 fd sockaddr_out:*arg2 socklen -> fd  fds=accept
sendto                  net                 fd buf_in:arg2 uint flags:msg sockaddr_in:arg5 int
recvfrom                net                 fd buf_out:ret uint flags:msg sockaddr_out:*arg5 socklen
sendmsg                 net                 fd msghdr_in flags:msg
recvmsg                 net                 fd msghdr_out flags:msg
shutdown                net                 fd enum:shutdown
bind                    net                 fd sockaddr_in:arg2 int  fds=bind
listen                  net                 fd int
getsockname             net                 fd sockaddr_out:*arg2 socklen  fds=getsockname
getpeername             net                 fd sockaddr_out:*arg2 socklen  fds=getpeername
socketpair              net                 enum:af enum:socktype enum:ipproto array_out:int:2  fds=socketpair
setsockopt              net                 fd enum:sol enum:sockopt buf_in:arg4 int
getsockopt              net                 fd enum:sol enum:sockopt buf_out:*arg4 socklen
clone                   process             flags:clone ptr ptr ptr hex  fds=clone
fork                    process
vfork                   process
execve                  file,process        path argv envp
exit                    process             int -> none
wait4                   process             int intptr_out flags:wait struct_out:rusage -> pid
kill                    process,signal      int sig
uname                   -                   struct_out:new_utsname
semget                  ipc                 hex int hex
semop                   ipc                 int array_in:sembuf:arg2 uint
semctl                  ipc                 int int int hex
shmdt                   memory,ipc          ptr
msgget                  ipc                 hex hex
msgsnd                  ipc                 int ptr uint hex
msgrcv                  ipc                 int ptr uint int hex
msgctl                  ipc                 int int ptr
fcntl                   desc                fd enum:fcntl hex  fds=fcntl
flock                   desc                fd hex
fsync                   desc                fd
fdatasync               desc                fd
truncate                file                path int
ftruncate               desc                fd int
getdents                desc                fd buf_out:ret uint
getcwd                  file                path_out uint
chdir                   file                path  fds=chdir
fchdir                  desc                fd  fds=fchdir
rename                  file                path path
mkdir                   file                path mode
rmdir                   file                path
creat                   file,desc           path mode -> fd  fds=creat
link                    file                path path
unlink                  file                path
symlink                 file                path path
readlink                file                path buf_out:ret int
chmod                   file                path mode
fchmod                  desc                fd mode
chown                   file                path int int
fchown                  desc                fd int int
lchown                  file                path int int
umask                   -                   mode
gettimeofday            clock               struct_out:__kernel_old_timeval struct_out:timezone
getrlimit               -                   enum:rlimit struct_out:rlimit
getrusage               -                   enum:rusage_who struct_out:rusage
sysinfo                 -                   struct_out:sysinfo
times                   -                   struct_out:tms
ptrace                  -                   enum:ptrace int ptr ptr
getuid                  creds,pure
syslog                  -                   int ptr int
getgid                  creds,pure
setuid                  creds               int
setgid                  creds               int
geteuid                 creds,pure
getegid                 creds,pure
setpgid                 -                   int int
getppid                 pure
getpgrp                 pure
setsid                  -
setreuid                creds               int int
setregid                creds               int int
getgroups               creds               int array_out:u32:ret
setgroups               creds               int array_in:u32:arg0
setresuid               creds               int int int
getresuid               creds               intptr_out intptr_out intptr_out
setresgid               creds               int int int
getresgid               creds               intptr_out intptr_out intptr_out
getpgid                 -                   int
setfsuid                creds               int
setfsgid                creds               int
getsid                  -                   int
capget                  creds               struct_in:__user_cap_header_struct array_out:__user_cap_data_struct:2
capset                  creds               struct_in:__user_cap_header_struct array_in:__user_cap_data_struct:2
rt_sigpending           signal              sigset_out:arg1 uint
rt_sigtimedwait         signal              sigset_in:arg3 struct_out:siginfo struct_in:__kernel_timespec uint
rt_sigqueueinfo         process,signal      int sig struct_in:siginfo
rt_sigsuspend           signal              sigset_in:arg1 uint
sigaltstack             signal              struct_in:sigaltstack struct_out:sigaltstack
utime                   file                path struct_in:utimbuf
mknod                   file                path fmode hex
uselib                  file                path
personality             -                   hex -> hex
ustat                   -                   hex struct_out:ustat
statfs                  file,statfs         path struct_out:statfs
fstatfs                 desc,fstatfs        fd struct_out:statfs
sysfs                   -                   int hex hex
getpriority             -                   enum:priority int
setpriority             -                   enum:priority int int
sched_setparam          -                   int struct_in:sched_param
sched_getparam          -                   int struct_out:sched_param
sched_setscheduler      -                   int enum:sched_policy struct_in:sched_param
sched_getscheduler      -                   int
sched_get_priority_max  -                   enum:sched_policy
sched_get_priority_min  -                   enum:sched_policy
sched_rr_get_interval   -                   int struct_out:__kernel_timespec
mlock                   memory              ptr uint
munlock                 memory              ptr uint
mlockall                memory              hex
munlockall              memory
vhangup                 -
modify_ldt              -                   int ptr uint
pivot_root              file                path path
_sysctl                 -                   ptr
prctl                   creds               enum:prctl hex hex hex hex
arch_prctl              -                   enum:arch_prctl hex
adjtimex                clock               struct_inout:__kernel_timex
setrlimit               -                   enum:rlimit struct_in:rlimit
chroot                  file                path
sync                    -
acct                    file                path
settimeofday            clock               struct_in:__kernel_old_timeval struct_in:timezone
mount                   file                str path str flags:mount ptr
umount2                 file                path flags:umount
swapon                  file                path hex
swapoff                 file                path
reboot                  -                   hex hex hex ptr
sethostname             -                   buf_in:arg1 int
setdomainname           -                   buf_in:arg1 int
iopl                    -                   uint
ioperm                  -                   hex uint int
create_module           -
init_module             -                   ptr uint str
delete_module           -                   str hex
get_kernel_syms         -
query_module            -
quotactl                file                enum:qcmd path int ptr
nfsservctl              -
getpmsg                 net
putpmsg                 net
afs_syscall             -
tuxcall                 -
security                -
gettid                  pure
readahead               desc                fd int uint
setxattr                file                path str buf_in:arg3 uint flags:xattr
lsetxattr               file                path str buf_in:arg3 uint flags:xattr
fsetxattr               desc                fd str buf_in:arg3 uint flags:xattr
getxattr                file                path str buf_out:ret uint
lgetxattr               file                path str buf_out:ret uint
fgetxattr               desc                fd str buf_out:ret uint
listxattr               file                path buf_out:ret uint
llistxattr              file                path buf_out:ret uint
flistxattr              desc                fd buf_out:ret uint
removexattr             file                path str
lremovexattr            file                path str
fremovexattr            desc                fd str
tkill                   process,signal      int sig
time                    clock               array_out:u64:1
futex                   -                   ptr enum:futex_op uint hex hex hex
sched_setaffinity       -                   int uint buf_in:arg1
sched_getaffinity       -                   int uint buf_out:ret
set_thread_area         -                   ptr
io_setup                memory              uint ptr
io_destroy              memory              hex
io_getevents            -                   hex int int ptr struct_in:__kernel_timespec
io_submit               -                   hex int ptr
io_cancel               -                   hex ptr ptr
get_thread_area         -                   ptr
lookup_dcookie          -
epoll_create            desc                int -> fd  fds=anon
epoll_ctl_old           -
epoll_wait_old          -
remap_file_pages        memory              ptr uint flags:prot uint flags:map
getdents64              desc                fd dirents_out:ret uint
set_tid_address         -                   ptr
restart_syscall         -
semtimedop              ipc                 int array_in:sembuf:arg2 uint struct_in:__kernel_timespec
fadvise64               desc                fd int int enum:fadvise
timer_create            -                   enum:clock struct_in:sigevent array_out:int:1
timer_settime           -                   int flags:timer struct_in:__kernel_itimerspec struct_out:__kernel_itimerspec
timer_gettime           -                   int struct_out:__kernel_itimerspec
timer_getoverrun        -                   int
timer_delete            -                   int
clock_settime           clock               enum:clock struct_in:__kernel_timespec
clock_gettime           clock               enum:clock struct_out:__kernel_timespec
clock_getres            clock               enum:clock struct_out:__kernel_timespec
clock_nanosleep         -                   enum:clock flags:timer struct_in:__kernel_timespec ptr
exit_group              process             int -> none
epoll_wait              desc                fd array_out:epoll_event:ret int int
epoll_ctl               desc                fd enum:epoll_op fd struct_in:epoll_event
tgkill                  process,signal      int int sig
utimes                  file                path array_in:__kernel_old_timeval:2
vserver                 -
mbind                   memory              ptr uint int ptr uint uint
set_mempolicy           memory              int ptr uint
get_mempolicy           memory              intptr_out ptr uint ptr hex
mq_open                 desc                str flags:open mode struct_in:mq_attr -> fd
mq_unlink               -                   str
mq_timedsend            desc                fd buf_in:arg2 uint uint struct_in:__kernel_timespec
mq_timedreceive         desc                fd buf_out:ret uint intptr_out struct_in:__kernel_timespec
mq_notify               desc                fd struct_in:sigevent
mq_getsetattr           desc                fd struct_in:mq_attr struct_out:mq_attr
kexec_load              -                   hex uint ptr hex
waitid                  process             enum:idtype int struct_out:siginfo flags:wait struct_out:rusage
add_key                 -                   str str buf_in:arg3 uint enum:key_serial
request_key             -                   str str str enum:key_serial
keyctl                  -                   enum:keyctl hex hex hex hex
ioprio_set              -                   int int int
ioprio_get              -                   int int
inotify_init            desc                -> fd  fds=anon
inotify_add_watch       file,desc           fd path flags:inotify_mask
inotify_rm_watch        desc                fd int
migrate_pages           memory              int uint ptr ptr
openat                  file,desc           dirfd path flags:open mode -> fd  fds=openat
mkdirat                 file,desc           dirfd path mode
mknodat                 file,desc           dirfd path fmode hex
fchownat                file,desc           dirfd path int int flags:at
futimesat               file,desc           dirfd path array_in:__kernel_old_timeval:2
newfstatat              file,desc,fstat     dirfd path struct_out:stat flags:at
unlinkat                file,desc           dirfd path flags:at
renameat                file,desc           dirfd path dirfd path
linkat                  file,desc           dirfd path dirfd path flags:at
symlinkat               file,desc           path dirfd path
readlinkat              file,desc           dirfd path buf_out:ret int
fchmodat                file,desc           dirfd path mode
faccessat               file,desc           dirfd path flags:access
pselect6                desc                int fdset_inout:arg0 fdset_inout:arg0 fdset_inout:arg0 struct_inout:__kernel_timespec ptr
ppoll                   desc                array_inout:pollfd:arg1 uint struct_inout:__kernel_timespec sigset_in:arg4 uint
unshare                 -                   flags:unshare  fds=unshare
set_robust_list         -                   ptr uint
get_robust_list         -                   int ptr ptr
splice                  desc                fd array_inout:u64:1 fd array_inout:u64:1 uint flags:splice
tee                     desc                fd fd uint flags:splice
sync_file_range         desc                fd int int hex
vmsplice                desc                fd iovec_in:arg2 uint flags:splice
move_pages              memory              int uint ptr ptr ptr hex
utimensat               file,desc           dirfd path array_in:__kernel_timespec:2 flags:at
epoll_pwait             desc                fd array_out:epoll_event:ret int int sigset_in:arg5 uint
signalfd                desc,signal         fd sigset_in:arg2 uint -> fd  fds=signalfd
timerfd_create          desc                enum:clock flags:timerfd -> fd  fds=anon
eventfd                 desc                uint -> fd  fds=anon
fallocate               desc                fd flags:fallocate int int
timerfd_settime         desc                fd flags:timerfd struct_in:__kernel_itimerspec struct_out:__kernel_itimerspec
timerfd_gettime         desc                fd struct_out:__kernel_itimerspec
accept4                 net                 fd sockaddr_out:*arg2 socklen flags:sock -> fd  fds=accept4
signalfd4               desc,signal         fd sigset_in:arg2 uint flags:signalfd -> fd  fds=signalfd4
eventfd2                desc                uint flags:eventfd -> fd  fds=anon
epoll_create1           desc                flags:epoll_create -> fd  fds=anon
dup3                    desc                fd fd flags:fd_open -> fd  fds=dup3
pipe2                   desc                array_out:int:2 flags:fd_open  fds=pipe2
inotify_init1           desc                flags:inotify_init -> fd  fds=anon
preadv                  desc                fd iovec_out:arg2 int int
pwritev                 desc                fd iovec_in:arg2 int int
rt_tgsigqueueinfo       process,signal      int int sig struct_in:siginfo
perf_event_open         desc                struct_in:perf_event_attr int int fd hex -> fd  fds=anon
recvmmsg                net                 fd array_out:mmsghdr:ret uint flags:msg struct_inout:__kernel_timespec
fanotify_init           desc                hex flags:open -> fd  fds=anon
fanotify_mark           file,desc           fd hex hex dirfd path
prlimit64               -                   int enum:rlimit struct_in:rlimit64 struct_out:rlimit64
name_to_handle_at       file,desc           dirfd path ptr ptr flags:at
open_by_handle_at       desc                fd ptr flags:open -> fd
clock_adjtime           clock               enum:clock struct_inout:__kernel_timex
syncfs                  desc                fd
sendmmsg                net                 fd array_in:mmsghdr:arg2 uint flags:msg
setns                   desc                fd flags:clone
getcpu                  -                   intptr_out intptr_out ptr
process_vm_readv        -                   int iovec_out:arg2 uint ptr uint uint
process_vm_writev       -                   int iovec_in:arg2 uint ptr uint uint
kcmp                    -                   int int int hex hex
finit_module            desc                fd str hex
sched_setattr           -                   int struct_in:sched_attr uint
sched_getattr           -                   int struct_out:sched_attr uint uint
renameat2               file,desc           dirfd path dirfd path flags:rename
seccomp                 -                   enum:seccomp_op hex ptr
getrandom               -                   buf_out:ret uint flags:getrandom
memfd_create            desc                str flags:memfd -> fd  fds=memfd
kexec_file_load         desc                fd fd uint str hex
bpf                     desc                enum:bpf_cmd ptr uint
execveat                file,desc,process   dirfd path argv envp flags:at
userfaultfd             desc                flags:open -> fd  fds=anon
membarrier              -                   int hex int
mlock2                  memory              ptr uint flags:mlock
copy_file_range         desc                fd array_inout:u64:1 fd array_inout:u64:1 uint uint
preadv2                 desc                fd iovec_out:arg2 int int int hex
pwritev2                desc                fd iovec_in:arg2 int int int hex
pkey_mprotect           memory              ptr uint flags:prot int
pkey_alloc              -                   hex hex
pkey_free               -                   int
statx                   file,desc,fstat     dirfd path flags:statx_at flags:statx_mask struct_out:statx
io_pgetevents           -                   hex int int ptr struct_in:__kernel_timespec ptr
rseq                    -                   ptr hex hex hex
pidfd_send_signal       desc,process,signal fd sig struct_in:siginfo uint
io_uring_setup          desc                uint struct_inout:io_uring_params -> fd  fds=anon
io_uring_enter          desc,signal         fd uint uint hex ptr uint
io_uring_register       desc,memory         fd uint ptr uint
open_tree               file,desc           dirfd path hex -> fd
move_mount              file,desc           dirfd path dirfd path hex
fsopen                  desc                str hex -> fd
fsconfig                file,desc           fd uint str ptr int
fsmount                 desc                fd hex hex -> fd
fspick                  file,desc           dirfd path hex -> fd
pidfd_open              desc                int hex -> fd  fds=anon
clone3                  process             struct_in:clone_args uint  fds=clone3
close_range             -                   fd uint flags:close_range  fds=close_range
openat2                 file,desc           dirfd path struct_in:open_how uint -> fd  fds=openat2
pidfd_getfd             desc                fd int uint -> fd
faccessat2              file,desc           dirfd path flags:access flags:at
process_madvise         desc                fd ptr uint enum:madvise uint
epoll_pwait2            desc                fd array_out:epoll_event:ret int struct_in:__kernel_timespec sigset_in:arg5 uint
mount_setattr           file,desc           dirfd path flags:at struct_in:mount_attr uint
quotactl_fd             desc                fd hex int ptr
landlock_create_ruleset desc                struct_in:landlock_ruleset_attr uint hex -> fd
landlock_add_rule       desc                fd int ptr hex
landlock_restrict_self  desc                fd hex
memfd_secret            desc                hex -> fd
process_mrelease        desc                fd uint
futex_waitv             -                   ptr uint hex struct_in:__kernel_timespec enum:clock
set_mempolicy_home_node memory              ptr uint uint hex
)";

}  // namespace etrace::catalog
