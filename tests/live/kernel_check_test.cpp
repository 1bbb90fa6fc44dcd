// etrace-capture --check on the running kernel: every program loads within
// the verification budget, and the verdict matches what a capture does.
#include <regex>
#include <set>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

// The budget bpf/README.md sets: a fifth of the kernel's 1,000,000.
constexpr long long kBudget = 200'000;

struct ProgramLine {
  std::string name;
  long long insns;
};

std::vector<ProgramLine> program_lines(const std::string& report) {
  static const std::regex line(R"(^program\s+(\S+)\s+verified_insns\s+(\S+))");
  std::vector<ProgramLine> out;
  for (const auto& l : lines_of(report)) {
    std::smatch m;
    if (std::regex_search(l, m, line)) out.push_back({m[1], m[2] == "?" ? -1 : std::stoll(m[2])});
  }
  return out;
}

using CheckTest = LiveTest;

TEST_F(CheckTest, EveryProgramVerifiesWithinTheBudget) {
  const Outcome o = capture({"--check"});
  ASSERT_EQ(o.status, 0) << o.describe() << o.out;
  const auto programs = program_lines(o.out);
  std::set<std::string> names;
  for (const auto& p : programs) {
    names.insert(p.name);
    EXPECT_GT(p.insns, 0) << p.name << " has no verifier statistics:\n" << o.out;
    EXPECT_LE(p.insns, kBudget) << p.name << " is over the budget:\n" << o.out;
  }
  for (const char* required : {"on_sys_enter", "on_sys_exit", "on_fork", "on_exec", "on_rename", "flush_stage"})
    EXPECT_TRUE(names.count(required)) << required << " missing from:\n" << o.out;
  EXPECT_TRUE(names.count("on_task_exit") + names.count("on_task_exit_legacy") == 1) << o.out;
  // Where the kernel can trace library calls, their programs are checked too.
  if (o.out.find("library calls through") != std::string::npos) {
    EXPECT_TRUE(names.count("on_lib_enter") && names.count("on_lib_exit")) << o.out;
  }
  EXPECT_NE(o.out.find("result   a capture will work on this kernel"), std::string::npos) << o.out;
}

// What --check promises, a capture keeps: the same kernel loads a real one.
TEST_F(CheckTest, ACaptureWorksWhereCheckSaysItWill) {
  const Outcome check = capture({"--check"});
  ASSERT_EQ(check.status, 0) << check.out;
  const Outcome cap = capture({"-q", "-o", file("c.etrace"), "--", "/bin/true"});
  EXPECT_EQ(cap.status, 0) << cap.describe();
  EXPECT_FALSE(decode_json(file("c.etrace")).empty());
}

}  // namespace
}  // namespace etrace::live
