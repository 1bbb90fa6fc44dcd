// Inputs are lines strace 6.1 wrote with `strace -f -qq -o FILE` for
// tests/conformance/programs/processes.c, and lines etrace-decode writes.
#include "tests/conformance/trace_text.h"

#include <gtest/gtest.h>

namespace etrace::conformance {
namespace {

using Lines = std::vector<std::string>;

TEST(TraceText, JoinsStraceSplitCallsPerThreadAndDropsPadding) {
  const std::string text =
      "7988  wait4(7989,  <unfinished ...>\n"
      "7989  set_robust_list(0x4b5660, 24)     = 0\n"
      "7989  getpid()                          = 7989\n"
      "7989  exit_group(3)                     = ?\n"
      "7989  +++ exited with 3 +++\n"
      "7988  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 7989\n"
      "7988  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7989, si_uid=0, si_status=3, si_utime=0, "
      "si_stime=0} ---\n"
      "7988  kill(7992, 0 <unfinished ...>\n"
      "7992  set_robust_list(0x4b5660, 24 <unfinished ...>\n"
      "7988  <... kill resumed>)               = 0\n"
      "7992  <... set_robust_list resumed>)    = 0\n";
  ThreadLines t = split_by_thread(text, -1);
  // The joined lines are what strace prints for the same calls when they
  // are not interleaved (the next wait4 of the same run, unsplit:
  // "wait4(7991, [{WIFEXITED(s) && WEXITSTATUS(s) == 127}], 0, NULL) = 7991").
  EXPECT_EQ(t.threads[7988], (Lines{"wait4(7989, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 7989",
                                    "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7989, si_uid=0, "
                                    "si_status=3, si_utime=0, si_stime=0} ---",
                                    "kill(7992, 0) = 0"}));
  EXPECT_EQ(t.threads[7989], (Lines{"set_robust_list(0x4b5660, 24) = 0", "getpid() = 7989", "exit_group(3) = ?"}));
  EXPECT_EQ(t.threads[7992], (Lines{"set_robust_list(0x4b5660, 24) = 0"}));
  EXPECT_EQ(t.threads.size(), 3u);
}

TEST(TraceText, EtraceLinesWithoutPrefixBelongToTheFirstThread) {
  const std::string text =
      "clone(18874385, 0, NULL, 0x7ffff7dd0a10, 0) = 5420\n"
      "[pid 5418] wait4(-1, 0x7fffffffe1cc, 0, NULL <unfinished ...>\n"
      "[pid 5420] close(4) = 0\n"
      "[pid 5420] exit_group(0) = ?\n"
      "[pid 5420] +++ exited with 0 +++\n"
      "[pid 5418] <... wait4 resumed>) = 5420\n";
  ThreadLines t = split_by_thread(text, 5418);
  EXPECT_EQ(t.threads[5418],
            (Lines{"clone(18874385, 0, NULL, 0x7ffff7dd0a10, 0) = 5420", "wait4(-1, 0x7fffffffe1cc, 0, NULL) = 5420"}));
  EXPECT_EQ(t.threads[5420], (Lines{"close(4) = 0", "exit_group(0) = ?"}));
}

TEST(TraceText, ACallNeverResumedEndsItsThreadAsItWasLeft) {
  ThreadLines t = split_by_thread("7992  read(3,  <unfinished ...>\n7988  getpid()                          = 7988\n", -1);
  EXPECT_EQ(t.threads[7992], (Lines{"read(3,  <unfinished ...>"}));
  EXPECT_EQ(t.threads[7988], (Lines{"getpid() = 7988"}));
}

TEST(TraceText, AResumptionWithoutItsStartIsKeptAsItIs) {
  ThreadLines t = split_by_thread("[pid 12] <... read resumed>) = 5\n", 1);
  EXPECT_EQ(t.threads[12], (Lines{"<... read resumed>) = 5"}));
}

TEST(TraceText, OnlyTheResultsPaddingIsCollapsed) {
  ThreadLines t = split_by_thread("100   write(1, \"a   = b\", 7)               = 7\n", -1);
  EXPECT_EQ(t.threads[100], (Lines{"write(1, \"a   = b\", 7) = 7"}));
}

TEST(TraceText, CallName) {
  EXPECT_EQ(call_name("openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3"), "openat");
  EXPECT_EQ(call_name("<... wait4 resumed>) = 5420"), "wait4");
  EXPECT_EQ(call_name("getpid() = 7988"), "getpid");
  EXPECT_EQ(call_name("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7989, si_uid=0, si_status=3, "
                      "si_utime=0, si_stime=0} ---"),
            "--- SIGCHLD");
}

}  // namespace
}  // namespace etrace::conformance
