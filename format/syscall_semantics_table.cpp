// The semantics table (format/syscall_semantics.h), x86-64 names.
//
// One line per syscall:   NAME  CLASSES  ARG0 ARG1 ...  [-> RETURN]
//   CLASSES  comma-separated trace classes (file desc net process memory
//            signal ipc creds clock stat lstat fstat statfs fstatfs pure), or -
//   ARGn     KIND[_in|_out|_inout][:PARAM][:LENGTH], by position; arguments
//            after the last one listed are shown in hex
//     in the register:  int uint hex ptr fd dirfd mode fmode sig
//                       flags:SET enum:SET   (SET names a constant table)
//     in memory:        path str buf:LEN struct:TYPE array:TYPE:LEN
//                       sockaddr:LEN socklen intptr iovec:LEN msghdr
//                       argv envp sigset:LEN fdset:LEN
//     TYPE     a struct name in kernel BTF ("stat", "__kernel_timespec"),
//              or a base type ("int", "u64")
//     LENGTH   argN (that argument's value), *argN (the int it points at),
//              or ret (the return value; outputs only)
//     direction: _in is copied at enter, _out at exit when the call
//              succeeded, _inout both; each kind has a default
//   RETURN   int (default) fd addr hex none
namespace etrace::format {

extern const char kSyscallSemanticsTable[] = R"(
read            desc            fd buf_out:ret uint
write           desc            fd buf_in:arg2 uint
close           desc            fd
openat          desc,file       dirfd path flags:open mode                         -> fd
fstat           desc,fstat,stat fd struct_out:stat
stat            file,stat       path struct_out:stat
newfstatat      desc,file,stat  dirfd path struct_out:stat flags:at
lseek           desc            fd int enum:whence
mmap            memory          ptr uint flags:prot flags:map fd hex               -> addr
connect         net,desc        fd sockaddr_in:arg2 int
accept4         net,desc        fd sockaddr_out:*arg2 socklen flags:sock           -> fd
readv           desc            fd iovec_out:arg2 int
writev          desc            fd iovec_in:arg2 int
poll            desc            array_inout:pollfd:arg1 uint int
execve          file,process    path argv envp
wait4           process         int intptr_out flags:wait struct_out:rusage
rt_sigprocmask  signal          enum:sighow sigset_in:arg3 sigset_out:arg3 uint
select          desc            int fdset_inout:arg0 fdset_inout:arg0 fdset_inout:arg0 struct_inout:__kernel_old_timeval
exit_group      process         int                                                -> none
getpid          pure                                                               -> int
)";

}  // namespace etrace::format
