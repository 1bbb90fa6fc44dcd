// quotactl on devices without quotas: each command's arguments as it reads
// them, every call refused (quotas are not on here).
#include "program.h"

#include <linux/quota.h>

int main(void) {
  char buffer[128];
  syscall(SYS_quotactl, QCMD(Q_GETQUOTA, USRQUOTA), "/dev/null", 0, buffer);
  syscall(SYS_quotactl, QCMD(Q_GETFMT, GRPQUOTA), "/dev/null", 0, buffer);
  syscall(SYS_quotactl, QCMD(Q_GETINFO, PRJQUOTA), "/dev/null", 0, buffer);
  syscall(SYS_quotactl, QCMD(Q_QUOTAON, USRQUOTA), "/dev/null", QFMT_VFS_V0, "/aquota.user");
  syscall(SYS_quotactl, QCMD(Q_QUOTAOFF, USRQUOTA), "/dev/null", 0, NULL);
  syscall(SYS_quotactl, QCMD(Q_SYNC, USRQUOTA), "/dev/nonexistent", 0, NULL);
  return 0;
}
