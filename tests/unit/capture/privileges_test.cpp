// Which capabilities etrace-capture asks for (issue 14, item 5): the check
// is of capabilities, not of the uid, and names what is missing.
#include <linux/capability.h>

#include <gtest/gtest.h>

#include <fstream>

#include "capture/privileges.h"
#include "tests/unit/error_of.h"

namespace etrace::capture {
namespace {

Capabilities with(std::initializer_list<int> caps, int last_cap = 40) {
  Capabilities c;
  c.last_cap = last_cap;
  for (int cap : caps) c.effective |= uint64_t{1} << cap;
  return c;
}

using etrace::test::error_of;

TEST(Privileges, BpfAndPerfmonAreEnough) {
  EXPECT_EQ(error_of(can_trace(with({CAP_BPF, CAP_PERFMON}))), "");
}

TEST(Privileges, SysAdminStandsForBoth) {
  EXPECT_EQ(error_of(can_trace(with({CAP_SYS_ADMIN}))), "");
  EXPECT_EQ(error_of(can_trace(with({CAP_SYS_ADMIN}, 37))), "");
}

TEST(Privileges, TheMissingCapabilityIsNamed) {
  EXPECT_EQ(error_of(can_trace(with({CAP_BPF}))),
            "missing CAP_PERFMON: loading and attaching its BPF programs needs CAP_BPF and CAP_PERFMON (run it as "
            "root, or give it both: README, Privileges)");
  const std::string only_perfmon = error_of(can_trace(with({CAP_PERFMON})));
  EXPECT_EQ(only_perfmon.rfind("missing CAP_BPF: ", 0), 0u) << only_perfmon;
  const std::string none = error_of(can_trace(with({CAP_DAC_READ_SEARCH, CAP_SYS_PTRACE})));
  EXPECT_EQ(none.rfind("missing CAP_BPF and CAP_PERFMON: ", 0), 0u) << none;
}

TEST(Privileges, KernelsWithoutCapBpfNeedSysAdmin) {
  const std::string old = error_of(can_trace(with({}, 37)));
  EXPECT_EQ(old.rfind("missing CAP_SYS_ADMIN: ", 0), 0u) << old;
}

TEST(Privileges, ThisProcessIsReadAsTheKernelSeesIt) {
  // Whatever this test runs with, the bits match /proc/self/status.
  const Capabilities c = Capabilities::of_this_process();
  EXPECT_GE(c.last_cap, 37);
  std::ifstream status("/proc/self/status");
  std::string line;
  uint64_t eff = ~uint64_t{0};
  while (std::getline(status, line))
    if (line.rfind("CapEff:", 0) == 0) eff = std::stoull(line.substr(7), nullptr, 16);
  EXPECT_EQ(c.effective, eff);
}

}  // namespace
}  // namespace etrace::capture
