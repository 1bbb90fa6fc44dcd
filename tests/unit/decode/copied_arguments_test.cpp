// Arguments decoded from what the capture copied (format 1.3): the mask
// rt_sigreturn restores, read from the stack; getdents64's entries counted
// by the kernel side when the copy was cut; wait4's outputs, written only
// when it returns a pid. Expected text is strace 6.1's for the same calls.
#include <gtest/gtest.h>
#include <linux/types.h>

#include "decode/arguments/event_decoder.h"
#include "decode/render/value_text.h"
#include "format/records.h"

namespace etrace::decode {
namespace {

enum Nr : uint16_t { kRtSigreturn = 15, kWait4 = 61, kSchedGetaffinity = 204, kGetdents64 = 217 };

SyscallCatalog make_catalog() {
  format::SyscallTable table;
  table.names = {{kRtSigreturn, "rt_sigreturn"}, {kWait4, "wait4"}, {kGetdents64, "getdents64"},
                 {kSchedGetaffinity, "sched_getaffinity"}};
  // The plans etrace-capture makes for them: kind, arg, len_source, len_arg, flags, size, type, btf_id, offset.
  format::CopyPlans plans;
  plans.syscalls[kRtSigreturn] = {{ETRACE_COPY_BYTES, ETRACE_ARG_SP, ETRACE_LEN_FIXED, 0, 0, 8, "", 0, 296, ""}};
  plans.syscalls[kGetdents64] = {{ETRACE_COPY_DIRENTS, 1, ETRACE_LEN_RET, 0, ETRACE_OP_AT_EXIT, 1, "", 0, 0, ""}};
  plans.syscalls[kWait4] = {{ETRACE_COPY_BYTES, 1, ETRACE_LEN_FIXED, 0, ETRACE_OP_AT_EXIT | ETRACE_OP_WHOLE, 4, "", 0, 0, ""}};
  plans.syscalls[kSchedGetaffinity] = {{ETRACE_COPY_BYTES, 2, ETRACE_LEN_RET, 0, ETRACE_OP_AT_EXIT, 1, "", 0, 0, ""}};
  return SyscallCatalog(table, {}, plans);
}

class CopiedArguments : public ::testing::Test {
 protected:
  // The line text shows for a completed call.
  std::string line(uint16_t nr, std::array<uint64_t, 6> args, int64_t ret, std::vector<PayloadItem> in,
                   std::vector<PayloadItem> out = {}) {
    Call c;
    c.nr = nr;
    c.args = args;
    c.ret = ret;
    c.enter_payloads = std::move(in);
    c.exit_payloads = std::move(out);
    const DecodedCall d = decoder_.decode(CallEvent{CallPhase::kCompleted, c});
    return call_text(d) + ") = " + return_text(*d.ret);
  }

  SyscallCatalog catalog_ = make_catalog();
  EventDecoder decoder_{catalog_, 0};
};

TEST_F(CopiedArguments, RtSigreturnShowsTheMaskItRestores) {
  EXPECT_EQ(line(kRtSigreturn, {}, 0, {{0, 0, 8, std::string(8, '\0')}}), "rt_sigreturn({mask=[]}) = 0");
  // SIGUSR1 and SIGCHLD (bits 9 and 16), after a handler that interrupted rt_sigsuspend.
  EXPECT_EQ(line(kRtSigreturn, {}, -4, {{0, 0, 8, std::string("\x00\x02\x01\x00\x00\x00\x00\x00", 8)}}),
            "rt_sigreturn({mask=[USR1 CHLD]}) = -1 EINTR (Interrupted system call)");
  // A capture that copied no frame (no BTF) shows none.
  EXPECT_EQ(line(kRtSigreturn, {}, 0, {}), "rt_sigreturn() = 0");
}

// Three linux_dirent64 records of 24 bytes each ("a", "b", "c").
std::string three_entries() {
  std::string out;
  for (char name : {'a', 'b', 'c'}) {
    std::string e(24, '\0');
    e[16] = 24;  // d_reclen
    e[18] = 8;   // DT_REG
    e[19] = name;
    out += e;
  }
  return out;
}

TEST_F(CopiedArguments, Getdents64CountsWhatItsCopyHolds) {
  EXPECT_EQ(line(kGetdents64, {3, 0x55555558da60, 32768}, 72, {}, {{0, 0, 72, three_entries()}}),
            "getdents64(3, 0x55555558da60 /* 3 entries */, 32768) = 72");
}

TEST_F(CopiedArguments, Getdents64CutByTheCaptureShowsTheKernelSidesCount) {
  const std::string cut = three_entries().substr(0, 40);
  EXPECT_EQ(line(kGetdents64, {3, 0x55555558da60, 32768}, 1328, {},
                 {{0, ETRACE_PAYLOAD_CUT, 1328, cut}, {0, ETRACE_PAYLOAD_CUT, 42, ""}}),
            "getdents64(3, 0x55555558da60 /* 42 entries */, 32768) = 1328");
  // More than the kernel side counts: at least that many.
  EXPECT_EQ(line(kGetdents64, {3, 0x55555558da60, 65536}, 60000, {},
                 {{0, ETRACE_PAYLOAD_CUT, 60000, cut}, {0, ETRACE_PAYLOAD_CUT | ETRACE_PAYLOAD_MORE, 2048, ""}}),
            "getdents64(3, 0x55555558da60 /* 2048+ entries */, 65536) = 60000");
  // Cut and not counted (a capture made before 1.3): the address alone.
  EXPECT_EQ(line(kGetdents64, {3, 0x55555558da60, 32768}, 1328, {}, {{0, ETRACE_PAYLOAD_CUT, 1328, cut}}),
            "getdents64(3, 0x55555558da60, 32768) = 1328");
}

TEST_F(CopiedArguments, Wait4WroteNothingWhenNoChildChanged) {
  const std::string exited_3("\x00\x03\x00\x00", 4);
  EXPECT_EQ(line(kWait4, {static_cast<uint64_t>(-1), 0x7fffffffe03c, 1, 0}, 0, {}, {{0, 0, 4, exited_3}}),
            "wait4(-1, 0x7fffffffe03c, WNOHANG, NULL) = 0");
  EXPECT_EQ(line(kWait4, {static_cast<uint64_t>(-1), 0x7fffffffe03c, 1, 0}, 1234, {}, {{0, 0, 4, exited_3}}),
            "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], WNOHANG, NULL) = 1234");
}

// sort and ps on a two-CPU machine.
TEST_F(CopiedArguments, SchedGetaffinityShowsTheCpus) {
  std::string set(32, '\0');
  set[0] = 3;
  EXPECT_EQ(line(kSchedGetaffinity, {0, 128, 0x7ffd00001000}, 32, {}, {{0, 0, 32, set}}),
            "sched_getaffinity(0, 128, [0 1]) = 32");
}

}  // namespace
}  // namespace etrace::decode
