// prctl and arch_prctl: options that read and set the process's name,
// death signal, dumpability, capabilities' bounding set, no_new_privs,
// child subreaper and timer slack, each read back; an option the kernel
// refuses and one it does not know; the FS base read and written back.
#include "program.h"

#include <asm/prctl.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/prctl.h>

int main(void) {
  char name[16];
  syscall(SYS_prctl, PR_SET_NAME, "etrace-prctl", 0, 0, 0);
  syscall(SYS_prctl, PR_GET_NAME, name, 0, 0, 0);
  syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
  int signal_number = 0;
  syscall(SYS_prctl, PR_GET_PDEATHSIG, &signal_number, 0, 0, 0);
  syscall(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0);
  syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
  syscall(SYS_prctl, PR_SET_KEEPCAPS, 0, 0, 0, 0);
  syscall(SYS_prctl, PR_GET_KEEPCAPS, 0, 0, 0, 0);
  // The bounding set, as iproute2 and procps probe it: one capability the
  // kernel has, one past the last.
  syscall(SYS_prctl, PR_CAPBSET_READ, CAP_NET_ADMIN, 0, 0, 0);
  syscall(SYS_prctl, PR_CAPBSET_READ, CAP_MAC_OVERRIDE, 0, 0, 0);
  syscall(SYS_prctl, PR_CAPBSET_READ, 63, 0, 0, 0);  // EINVAL
  syscall(SYS_prctl, PR_CAPBSET_DROP, 63, 0, 0, 0);  // EINVAL
  syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  int subreaper = 0;
  syscall(SYS_prctl, PR_GET_CHILD_SUBREAPER, &subreaper, 0, 0, 0);
  syscall(SYS_prctl, PR_SET_TIMERSLACK, 50000, 0, 0, 0);
  syscall(SYS_prctl, PR_GET_TIMERSLACK, 0, 0, 0, 0);
  syscall(SYS_prctl, PR_GET_SECCOMP, 0, 0, 0, 0);
  syscall(SYS_prctl, PR_GET_SECUREBITS, 0, 0, 0, 0);
  syscall(SYS_prctl, PR_GET_THP_DISABLE, 0, 0, 0, 0);
  int tsc = 0;
  syscall(SYS_prctl, PR_GET_TSC, &tsc, 0, 0, 0);
  syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  syscall(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  syscall(SYS_prctl, PR_MCE_KILL_GET, 0, 0, 0, 0);
  syscall(SYS_prctl, 0x5eed, 1, 2, 3, 4);  // EINVAL: no such option

  unsigned long fs = 0, gs = 0;
  syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
  syscall(SYS_arch_prctl, ARCH_SET_FS, fs);
  syscall(SYS_arch_prctl, ARCH_GET_GS, &gs);
  syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0);
  syscall(SYS_arch_prctl, 0x9999, &fs);  // EINVAL: no such code
  return 0;
}
