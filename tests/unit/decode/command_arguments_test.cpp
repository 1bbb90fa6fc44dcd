// Multiplexed syscalls shown by their command (catalog/syscall_commands.h):
// which arguments, in which notation, and what the result means. Expected
// lines are strace 6.1's for the same calls (tests/conformance/programs/
// prctl.c, futex.c, keyctl.c, ptrace.c, quotactl.c, ioctl.c make them).
#include <asm/ioctls.h>
#include <asm/prctl.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/keyctl.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/quota.h>

#include <set>
#include <string>

#include "catalog/syscall_commands.h"
#include "decode/values/xlat/xlat.h"
#include "decode_helpers.h"

using namespace etrace::test;
using namespace etrace::decode::xlat;

namespace {

constexpr uint16_t kPrctl = 157, kArchPrctl = 158, kKeyctl = 250, kQuotactl = 179, kPtrace = 101;

// One call of a syscall known by the semantics table alone (no format file).
std::string one_call(uint16_t nr, const char* name, std::array<uint64_t, 6> args, int64_t ret) {
  auto b = standard_capture();
  if (nr != kFutex) b.syscall(nr, name, /*with_format=*/false);
  b.enter(1000, 100, 100, nr, args);
  b.exit(2000, 100, 100, nr, ret);
  return decode_text(b);
}

TEST(CommandArguments, PrctlShowsWhatItsOptionTakes) {
  EXPECT_EQ(one_call(kPrctl, "prctl", {PR_CAPBSET_READ, CAP_MAC_OVERRIDE, 0, 0x7f5fde874bc8, 0, 0}, 1),
            "prctl(PR_CAPBSET_READ, CAP_MAC_OVERRIDE) = 1\n");
  EXPECT_EQ(one_call(kPrctl, "prctl", {PR_CAPBSET_READ, 63, 0, 0, 0, 0}, -22),
            "prctl(PR_CAPBSET_READ, 0x3f /* CAP_??? */) = -1 EINVAL (Invalid argument)\n");
  EXPECT_EQ(one_call(kPrctl, "prctl", {PR_SET_PDEATHSIG, 15, 0, 0, 0, 0}, 0),
            "prctl(PR_SET_PDEATHSIG, SIGTERM) = 0\n");
  EXPECT_EQ(one_call(kPrctl, "prctl", {PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0, 0}, 1),
            "prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) = 1\n");
  // An option the table does not know: the syscall's own line.
  EXPECT_EQ(one_call(kPrctl, "prctl", {0x5eed, 1, 2, 3, 4, 0}, -22),
            "prctl(0x5eed /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)\n");
}

TEST(CommandArguments, ResultsInTheNotationOfTheirSet) {
  EXPECT_EQ(one_call(kPrctl, "prctl", {PR_GET_DUMPABLE, 0, 0, 0, 0, 0}, 1),
            "prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)\n");
  EXPECT_EQ(one_call(kPrctl, "prctl", {PR_MCE_KILL_GET, 0, 0, 0, 0, 0}, 2),
            "prctl(PR_MCE_KILL_GET, 0, 0, 0, 0) = 2 (PR_MCE_KILL_DEFAULT)\n");
  // Flags are shown in hex, and a zero has nothing to add.
  EXPECT_EQ(one_call(kPrctl, "prctl", {PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0, 0},
                     PR_SPEC_PRCTL | PR_SPEC_ENABLE),
            "prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS) = 0x3 (PR_SPEC_PRCTL|PR_SPEC_ENABLE)\n");
  EXPECT_EQ(one_call(kPrctl, "prctl", {PR_GET_SECUREBITS, 0, 0, 0, 0, 0}, 0), "prctl(PR_GET_SECUREBITS) = 0\n");
  // A failed call's result is its error, whatever the command.
  EXPECT_EQ(one_call(kPrctl, "prctl", {PR_GET_DUMPABLE, 0, 0, 0, 0, 0}, -1),
            "prctl(PR_GET_DUMPABLE) = -1 EPERM (Operation not permitted)\n");
}

TEST(CommandArguments, FutexShowsTheArgumentsItsOperationReads) {
  EXPECT_EQ(one_call(kFutex, "futex", {0x4c6ad0, FUTEX_WAKE_PRIVATE, 1, 0x7f, 0x9, 0x3}, 0),
            "futex(0x4c6ad0, FUTEX_WAKE_PRIVATE, 1) = 0\n");
  const uint64_t wake_op = FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_GT, 0);
  EXPECT_EQ(one_call(kFutex, "futex", {0x4c6ad0, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x4c6ad4, wake_op}, 0),
            "futex(0x4c6ad0, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x4c6ad4, "
            "FUTEX_OP_SET<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0) = 0\n");
  EXPECT_EQ(one_call(kFutex, "futex", {0x4c6ad0, FUTEX_WAKE_BITSET_PRIVATE, 1, 0x7f, 0x9, FUTEX_BITSET_MATCH_ANY}, 0),
            "futex(0x4c6ad0, FUTEX_WAKE_BITSET_PRIVATE, 1, FUTEX_BITSET_MATCH_ANY) = 0\n");
  EXPECT_EQ(one_call(kFutex, "futex", {0x4c6ad0, FUTEX_UNLOCK_PI, 0, 0, 0, 0}, -1),
            "futex(0x4c6ad0, FUTEX_UNLOCK_PI) = -1 EPERM (Operation not permitted)\n");
}

TEST(CommandArguments, KeyctlArchPrctlPtraceAndQuotactl) {
  // keyctl(KEYCTL_CHOWN, key, -1, -1): the ids are ints in unsigned longs.
  EXPECT_EQ(one_call(kKeyctl, "keyctl", {KEYCTL_CHOWN, 13194160, 0xffffffff, 0xffffffff, 0, 0}, 0),
            "keyctl(KEYCTL_CHOWN, 13194160, -1, -1) = 0\n");
  EXPECT_EQ(one_call(kKeyctl, "keyctl",
                     {KEYCTL_GET_KEYRING_ID, static_cast<uint64_t>(KEY_SPEC_PROCESS_KEYRING), 0, 0, 0, 0}, 1072723417),
            "keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0) = 1072723417\n");
  EXPECT_EQ(one_call(kArchPrctl, "arch_prctl", {ARCH_SET_FS, 0x4ac380, 0, 0, 0, 0}, 0),
            "arch_prctl(ARCH_SET_FS, 0x4ac380) = 0\n");
  EXPECT_EQ(one_call(kArchPrctl, "arch_prctl", {ARCH_GET_CPUID, 0x7fff0000, 0, 0, 0, 0}, 1),
            "arch_prctl(ARCH_GET_CPUID) = 1\n");
  EXPECT_EQ(one_call(kPtrace, "ptrace", {PTRACE_ATTACH, 23406, 0, 0, 0, 0}, 0), "ptrace(PTRACE_ATTACH, 23406) = 0\n");
  EXPECT_EQ(one_call(kPtrace, "ptrace", {PTRACE_CONT, 23407, 0, 18, 0, 0}, -3),
            "ptrace(PTRACE_CONT, 23407, NULL, SIGCONT) = -1 ESRCH (No such process)\n");
  // quotactl's path was not copied here: its address.
  EXPECT_EQ(one_call(kQuotactl, "quotactl", {static_cast<uint32_t>(QCMD(Q_SYNC, USRQUOTA)), 0x4a0000, 0, 0, 0, 0}, -1),
            "quotactl(QCMD(Q_SYNC, USRQUOTA), 0x4a0000) = -1 EPERM (Operation not permitted)\n");
}

TEST(CommandValues, SpelledAsStraceSpellsThem) {
  // futex(.., FUTEX_WAKE_OP, .., FUTEX_OP(FUTEX_OP_ADD|FUTEX_OP_OPARG_SHIFT, 3, FUTEX_OP_CMP_EQ, 1))
  EXPECT_EQ(enum_text("futex_wake_op", FUTEX_OP(FUTEX_OP_ADD | FUTEX_OP_OPARG_SHIFT, 3, FUTEX_OP_CMP_EQ, 1)),
            "FUTEX_OP_OPARG_SHIFT<<28|FUTEX_OP_ADD<<28|0x3<<12|FUTEX_OP_CMP_EQ<<24|0x1");
  EXPECT_EQ(enum_text("futex_bitset", 5), "0x5");
  EXPECT_EQ(enum_text("qcmd", QCMD(Q_GETQUOTA, GRPQUOTA)), "QCMD(Q_GETQUOTA, GRPQUOTA)");
  EXPECT_EQ(enum_text("qcmd", QCMD(0x42, 7)), "QCMD(0x42 /* Q_??? */, 0x7 /* ???QUOTA */)");
  EXPECT_EQ(enum_text("key_serial", KEY_SPEC_THREAD_KEYRING), "KEY_SPEC_THREAD_KEYRING");
  EXPECT_EQ(enum_text("key_serial", 260674830), "260674830");
  // keyctl(KEYCTL_SETPERM, KEY_SPEC_PROCESS_KEYRING, 0x3f010000); 0x01020408|0x40000000; 0
  EXPECT_EQ(enum_text("key_perm", 0x3f010000),
            "KEY_POS_VIEW|KEY_POS_READ|KEY_POS_WRITE|KEY_POS_SEARCH|KEY_POS_LINK|KEY_POS_SETATTR|KEY_USR_VIEW");
  EXPECT_EQ(enum_text("key_perm", 0x41020408), "KEY_POS_VIEW|KEY_USR_READ|KEY_GRP_WRITE|KEY_OTH_SEARCH|0x40000000");
  EXPECT_EQ(enum_text("key_perm", 0), "0");
  // ptrace(PTRACE_PEEKUSER, pid, offsetof(struct user, regs.orig_rax), ..)
  EXPECT_EQ(enum_text("ptrace_user", 15 * 8), "8*ORIG_RAX");
  EXPECT_EQ(enum_text("ptrace_user", 3), "0x3");
  EXPECT_EQ(enum_text("suid_dump", 2), "SUID_DUMP_ROOT");
  // One request, two headers' names.
  EXPECT_EQ(enum_text("ioctl", TCSETS), "SNDCTL_TMR_START or TCSETS");
  EXPECT_EQ(enum_text("ioctl", TIOCGWINSZ), "TIOCGWINSZ");
}

// Every set the command table names, for a value, a pointed-at value or a
// result, is one the decoder has.
TEST(CommandValues, EverySetTheCommandTableNamesExists) {
  using etrace::catalog::ArgKind;
  const std::set<std::string> notations = {"", "int", "uint", "hex", "ptr", "sig"};
  for (const char* syscall : {"ioctl", "prctl", "arch_prctl", "futex", "keyctl", "bpf", "ptrace", "quotactl"})
    for (const etrace::catalog::CommandSemantics* c : etrace::catalog::commands_of(syscall)) {
      for (const auto& a : c->args) {
        const bool pointee = a.kind == ArgKind::kIntPtr || a.kind == ArgKind::kLongPtr;
        const bool names_set =
            a.kind == ArgKind::kEnum || a.kind == ArgKind::kFlags || (pointee && !notations.count(a.param));
        if (names_set) {
          EXPECT_TRUE(has_set(a.param)) << syscall << " " << c->name << ": " << a.param;
        }
      }
      if (c->result) {
        EXPECT_TRUE(has_set(c->result->param)) << syscall << " " << c->name;
      }
    }
}

}  // namespace
