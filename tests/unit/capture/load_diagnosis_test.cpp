// Load failures explained (capture/load_diagnosis.h), from libbpf's account
// and verifier logs as the kernels of the matrix write them.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "capture/load_diagnosis.h"

namespace etrace::capture {
namespace {

// libbpf 1.1's lines for a program the verifier refused.
std::string refused(const std::string& prog) {
  return "libbpf: prog '" + prog + "': BPF program load failed: Argument list too long\n"
         "libbpf: failed to load object 'etrace_bpf'\n";
}

TEST(LoadDiagnosis, TheInstructionLimitIsNamedWithTheVerifiersWords) {
  const std::string log =
      "1234: (85) call pc+40\n"
      "BPF program is too large. Processed 1000001 insn\n"
      "processed 1000001 insns (limit 1000000) max_states_per_insn 34 total_states 80165 peak_states 172266 "
      "mark_read 12\n";
  const std::string s = describe_refusal(-E2BIG, refused("on_sys_enter"), log, "");
  EXPECT_NE(s.find("on_sys_enter"), std::string::npos) << s;
  EXPECT_NE(s.find("\"BPF program is too large. Processed 1000001 insn\""), std::string::npos) << s;
  EXPECT_NE(s.find("limit of 1,000,000 processed instructions"), std::string::npos) << s;
}

// The 6.1 refusal the issue quotes: a verifier rejection, not privileges.
TEST(LoadDiagnosis, ABoundTheVerifierLostIsQuotedNotCalledAPermissionProblem) {
  const std::string log = "R1 max value is outside of the allowed memory range\nprocessed 2049 insns (limit 1000000)\n";
  const std::string s = describe_refusal(-EACCES, refused("on_sys_enter"), log, "");
  EXPECT_NE(s.find("\"R1 max value is outside of the allowed memory range\""), std::string::npos) << s;
  EXPECT_EQ(s.find("root"), std::string::npos) << s;
  EXPECT_EQ(s.find("CAP_"), std::string::npos) << s;
}

TEST(LoadDiagnosis, AMissingHelperIsSaidToBeMissing) {
  const std::string s = describe_refusal(-EINVAL, refused("on_lib_enter"), "unknown func bpf_get_attach_cookie#174\n", "");
  EXPECT_NE(s.find("does not have that helper"), std::string::npos) << s;
}

TEST(LoadDiagnosis, AMapTheKernelWouldNotCreateIsNamedWithItsType) {
  const std::string messages = "libbpf: map 'task_states': failed to create: Invalid argument(-22)\n";
  EXPECT_EQ(refused_map(messages), "task_states");
  const std::string s = describe_refusal(-EINVAL, messages, "", "task_storage");
  EXPECT_NE(s.find("map 'task_states' of type task_storage (Invalid argument(-22))"), std::string::npos) << s;
}

TEST(LoadDiagnosis, AMissingKfuncIsNamed) {
  const std::string messages = "libbpf: extern (func ksym) 'bpf_preempt_disable': not found in kernel or module BTFs\n";
  const std::string s = describe_refusal(-ESRCH, messages, "", "");
  EXPECT_NE(s.find("kfunc) bpf_preempt_disable"), std::string::npos) << s;
}

TEST(LoadDiagnosis, StatisticsAreReadFromALevelFourLog) {
  const VerifierStats v = verifier_stats(
      "func#0 @0\nverification time 27412 usec\nstack depth 96+0\n"
      "processed 11063 insns (limit 1000000) max_states_per_insn 4 total_states 1057 peak_states 1048 mark_read 53\n");
  EXPECT_EQ(v.insns, 11063);
  EXPECT_EQ(v.usec, 27412);
  EXPECT_EQ(verifier_stats("").insns, -1);
}

}  // namespace
}  // namespace etrace::capture
