// Copy plans derived from the semantics table and the running kernel's BTF,
// and the BTF subset a capture carries. Sizes are checked against the C
// library's own structs, which share the kernel's x86-64 layout.
#include <bpf/btf.h>
#include <asm/ioctls.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <linux/prctl.h>
#include <linux/types.h>
#include <poll.h>
#include <sys/stat.h>
#include <ucontext.h>

#include <memory>

#include "bpf/map_layouts.h"
#include "capture/btf_subset.h"
#include "capture/copy_plan.h"
#include "capture/kernel_btf.h"
#include "format/records.h"

namespace etrace::capture {
namespace {

class CopyPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto btf = load_kernel_btf();
    if (!btf) GTEST_SKIP() << "NO KERNEL BTF HERE, copy plans not tested: " << btf.error().message;
    btf_ = std::move(*btf);
    table_.names = {{0, "read"}, {1, "write"}, {5, "fstat"}, {7, "poll"}, {43, "accept"}, {59, "execve"},
                    {257, "openat"}, {39, "getpid"}, {15, "rt_sigreturn"}, {217, "getdents64"},
                    {16, "ioctl"}, {157, "prctl"}, {321, "bpf"}};
    plans_ = derive_copy_plans(table_, btf_.get(), CopyCaps{128, 1024}, problems_);
  }
  const std::vector<format::CopyOp>& ops(uint32_t nr) { return plans_.syscalls.at(nr); }

  KernelBtf btf_;
  format::SyscallTable table_;
  format::CopyPlans plans_;
  std::vector<std::string> problems_;
};

TEST_F(CopyPlanTest, CapsAreRecorded) {
  EXPECT_EQ(plans_.bytes_cap, 128u);
  EXPECT_EQ(plans_.string_cap, 1024u);
  EXPECT_TRUE(problems_.empty()) << problems_.front();
}

TEST_F(CopyPlanTest, BuffersAreBoundedByWhatTheCallSays) {
  // read: the buffer, at exit, as long as the return value.
  ASSERT_EQ(ops(0).size(), 1u);
  EXPECT_EQ(ops(0)[0].kind, ETRACE_COPY_BYTES);
  EXPECT_EQ(ops(0)[0].arg, 1);
  EXPECT_EQ(ops(0)[0].len_source, ETRACE_LEN_RET);
  EXPECT_TRUE(ops(0)[0].flags & ETRACE_OP_AT_EXIT);
  EXPECT_FALSE(ops(0)[0].flags & ETRACE_OP_WHOLE) << "data is cut by --bytes";
  // write: at enter, as long as its count argument.
  ASSERT_EQ(ops(1).size(), 1u);
  EXPECT_EQ(ops(1)[0].len_source, ETRACE_LEN_ARG);
  EXPECT_EQ(ops(1)[0].len_arg, 2);
  EXPECT_FALSE(ops(1)[0].flags & ETRACE_OP_AT_EXIT);
}

TEST_F(CopyPlanTest, StructsAreSizedFromBtf) {
  ASSERT_EQ(ops(5).size(), 1u);
  const format::CopyOp& st = ops(5)[0];
  EXPECT_EQ(st.type, "stat");
  EXPECT_EQ(st.size, sizeof(struct stat));
  EXPECT_TRUE(st.flags & ETRACE_OP_WHOLE);
  EXPECT_TRUE(st.flags & ETRACE_OP_AT_EXIT);
  EXPECT_GT(st.btf_id, 0u);
  // poll's array is read at enter (events) and at exit (revents).
  ASSERT_EQ(ops(7).size(), 2u);
  EXPECT_EQ(ops(7)[0].size, sizeof(struct pollfd)) << "element size; the count is argument 1";
  EXPECT_EQ(ops(7)[0].len_source, ETRACE_LEN_ARG);
  EXPECT_EQ(ops(7)[0].len_arg, 1);
  EXPECT_NE(ops(7)[0].flags & ETRACE_OP_AT_EXIT, ops(7)[1].flags & ETRACE_OP_AT_EXIT);
}

TEST_F(CopyPlanTest, ValueResultLengthsAreCopiedBothWays) {
  // accept(fd, addr, addrlen): the address at exit, as long as *addrlen says
  // then; addrlen itself at enter and at exit.
  int addr_ops = 0, len_ops = 0;
  for (const auto& op : ops(43)) {
    if (op.arg == 1) {
      ++addr_ops;
      EXPECT_EQ(op.len_source, ETRACE_LEN_ARG_DEREF);
      EXPECT_EQ(op.len_arg, 2);
      EXPECT_TRUE(op.flags & ETRACE_OP_AT_EXIT);
    } else if (op.arg == 2) {
      ++len_ops;
      EXPECT_EQ(op.size, 4u);
    }
  }
  EXPECT_EQ(addr_ops, 1);
  EXPECT_EQ(len_ops, 2);
}

TEST_F(CopyPlanTest, ExecCopiesItsPathArgvAndCountsItsEnvironment) {
  ASSERT_EQ(ops(59).size(), 3u);
  EXPECT_EQ(ops(59)[0].kind, ETRACE_COPY_STRING);
  EXPECT_EQ(ops(59)[1].kind, ETRACE_COPY_STRINGS);
  EXPECT_EQ(ops(59)[2].kind, ETRACE_COPY_COUNT);
  EXPECT_EQ(ops(257).at(0).kind, ETRACE_COPY_STRING);
  EXPECT_EQ(ops(257).at(0).arg, 1);
  EXPECT_FALSE(plans_.syscalls.count(39)) << "getpid copies nothing";
}

// The x86-64 signal frame is pretcode, then a ucontext (the C library's
// ucontext_t has its layout up to the mask); at rt_sigreturn's entry the
// handler's return has popped pretcode, so the stack pointer is where the
// ucontext begins.
TEST_F(CopyPlanTest, RtSigreturnReadsTheMaskItRestoresFromTheStack) {
  ASSERT_EQ(ops(15).size(), 1u);
  const format::CopyOp& mask = ops(15)[0];
  EXPECT_EQ(mask.kind, ETRACE_COPY_BYTES);
  EXPECT_EQ(mask.arg, ETRACE_ARG_SP);
  EXPECT_EQ(mask.offset, static_cast<int16_t>(offsetof(ucontext_t, uc_sigmask)));
  EXPECT_EQ(mask.size, 8u);
  EXPECT_FALSE(mask.flags & ETRACE_OP_AT_EXIT);
  etrace_syscall_config cfg{};
  fill_kernel_plan(ops(15), cfg);
  EXPECT_EQ(cfg.ops[0].offset, mask.offset);
  EXPECT_TRUE(cfg.flags & ETRACE_SC_COPY_AT_ENTER);
  // Without BTF there is no offset to read at: nothing is copied.
  std::vector<std::string> problems;
  EXPECT_FALSE(derive_copy_plans(table_, nullptr, CopyCaps{}, problems).syscalls.count(15));
}

TEST_F(CopyPlanTest, Getdents64CopiesItsRecordsAndCountsThemWhenCut) {
  ASSERT_EQ(ops(217).size(), 1u);
  const format::CopyOp& dirents = ops(217)[0];
  EXPECT_EQ(dirents.kind, ETRACE_COPY_DIRENTS);
  EXPECT_EQ(dirents.arg, 1);
  EXPECT_EQ(dirents.len_source, ETRACE_LEN_RET);
  EXPECT_EQ(dirents.flags, ETRACE_OP_AT_EXIT) << "cut by --bytes like any buffer";
}

TEST_F(CopyPlanTest, KernelPlansSayWhenTheyRun) {
  etrace_syscall_config cfg{};
  fill_kernel_plan(ops(7), cfg);
  EXPECT_EQ(cfg.n_ops, 2u);
  EXPECT_TRUE(cfg.flags & ETRACE_SC_COPY_AT_ENTER);
  EXPECT_TRUE(cfg.flags & ETRACE_SC_COPY_AT_EXIT);
  etrace_syscall_config read_cfg{};
  fill_kernel_plan(ops(0), read_cfg);
  EXPECT_FALSE(read_cfg.flags & ETRACE_SC_COPY_AT_ENTER);
  EXPECT_EQ(read_cfg.ops[0].len_source, ETRACE_LEN_RET);
}

TEST_F(CopyPlanTest, WithoutBtfStructsAreLeftOutAndSaidSo) {
  std::vector<std::string> problems;
  auto plans = derive_copy_plans(table_, nullptr, CopyCaps{}, problems);
  EXPECT_FALSE(plans.syscalls.count(5)) << "fstat's struct needs BTF";
  EXPECT_TRUE(plans.syscalls.count(257)) << "paths do not";
  ASSERT_FALSE(problems.empty());
}

TEST_F(CopyPlanTest, TheSubsetHoldsThePlannedTypesWithTheirLayout) {
  const uint32_t kernel_id = ops(5)[0].btf_id;
  auto subset = btf_subset(btf_.get(), plans_);
  ASSERT_TRUE(subset) << subset.error().message;
  const std::vector<uint8_t>& raw = *subset;
  EXPECT_LT(raw.size(), 64u << 10) << "a few types, not the kernel's megabytes";
  std::unique_ptr<struct btf, void (*)(struct btf*)> sub(btf__new(raw.data(), static_cast<__u32>(raw.size())),
                                                        btf__free);
  ASSERT_TRUE(sub) << "the subset is valid BTF";
  const uint32_t id = ops(5)[0].btf_id;
  EXPECT_NE(id, kernel_id) << "plans now refer to the subset's ids";
  const struct btf_type* t = btf__type_by_id(sub.get(), id);
  ASSERT_TRUE(t);
  EXPECT_STREQ(btf__name_by_offset(sub.get(), t->name_off), "stat");
  EXPECT_EQ(btf__resolve_size(sub.get(), id), static_cast<long>(sizeof(struct stat)));
  // The same members as the kernel's, by name and offset.
  const struct btf_type* k = btf__type_by_id(btf_.get(), kernel_id);
  ASSERT_EQ(btf_vlen(t), btf_vlen(k));
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    EXPECT_STREQ(btf__name_by_offset(sub.get(), btf_members(t)[i].name_off),
                 btf__name_by_offset(btf_.get(), btf_members(k)[i].name_off));
    EXPECT_EQ(btf_members(t)[i].offset, btf_members(k)[i].offset);
  }
  // Pointers lead nowhere: following them would pull in the kernel.
  for (uint32_t i = 1; i < btf__type_cnt(sub.get()); ++i) {
    const struct btf_type* x = btf__type_by_id(sub.get(), i);
    if (btf_is_ptr(x)) {
      EXPECT_EQ(x->type, 0u);
    }
  }
}

// The plans of a multiplexed syscall's commands: each command copies what
// its own struct needs, the syscall's plan stays for the others.
TEST_F(CopyPlanTest, CommandsHaveTheirOwnPlans) {
  ASSERT_TRUE(plans_.commands.count(16));
  const format::CommandPlans& ioctl = plans_.commands.at(16);
  EXPECT_EQ(ioctl.arg, 1);
  EXPECT_EQ(ioctl.mask, 0xffffffffu);
  // TCGETS writes a struct termios: copied at exit, as long as the kernel's.
  const auto& tcgets = ioctl.plans.at(TCGETS);
  ASSERT_EQ(tcgets.size(), 1u);
  EXPECT_EQ(tcgets[0].arg, 2);
  EXPECT_EQ(tcgets[0].flags & ETRACE_OP_AT_EXIT, ETRACE_OP_AT_EXIT);
  EXPECT_EQ(tcgets[0].type, "termios");
  EXPECT_EQ(tcgets[0].size, 36u) << "the kernel's termios, not glibc's larger one";
  // prctl's PR_GET_NAME writes a string; PR_CAPBSET_READ copies nothing but
  // still has a plan, so that it never copies by the syscall's.
  const format::CommandPlans& prctl = plans_.commands.at(157);
  EXPECT_EQ(prctl.plans.at(PR_GET_NAME).at(0).kind, ETRACE_COPY_STRING);
  ASSERT_TRUE(prctl.plans.count(PR_CAPBSET_READ));
  EXPECT_TRUE(prctl.plans.at(PR_CAPBSET_READ).empty());
  EXPECT_FALSE(plans_.commands.count(0)) << "read has no commands";
}

TEST_F(CopyPlanTest, NestedCopiesFollowAPointerInTheStruct) {
  // BPF_PROG_LOAD: the attr as long as its size argument, then the license
  // string its member points at.
  const auto& load = plans_.commands.at(321).plans.at(BPF_PROG_LOAD);
  ASSERT_EQ(load.size(), 2u);
  EXPECT_EQ(load[0].arg, 1);
  EXPECT_EQ(load[0].len_source, ETRACE_LEN_ARG);
  EXPECT_EQ(load[0].len_arg, 2);
  EXPECT_EQ(load[1].kind, ETRACE_COPY_STRING);
  EXPECT_EQ(load[1].flags & ETRACE_OP_INDIRECT, ETRACE_OP_INDIRECT);
  EXPECT_EQ(load[1].offset, offsetof(union bpf_attr, license));
  EXPECT_EQ(load[1].member, "license");
}

TEST_F(CopyPlanTest, ASyscallWithCommandsSaysWhereTheCommandIsAndThatItCopies) {
  etrace_syscall_config cfg{};
  fill_command_selector(plans_.commands.at(157), cfg);
  EXPECT_TRUE(cfg.flags & ETRACE_SC_COMMANDS);
  EXPECT_EQ(cfg.command_arg, 0u);
  EXPECT_EQ(cfg.command_mask, 0xffffffffu);
  EXPECT_TRUE(cfg.flags & ETRACE_SC_COPY_AT_ENTER) << "PR_SET_NAME's string";
  EXPECT_TRUE(cfg.flags & ETRACE_SC_COPY_AT_EXIT) << "PR_GET_NAME's";
  EXPECT_EQ(cfg.n_ops, 0u) << "prctl's own plan is not the commands'";
}

TEST_F(CopyPlanTest, CommandTypesAreInTheSubset) {
  auto subset = btf_subset(btf_.get(), plans_);
  ASSERT_TRUE(subset) << subset.error().message;
  std::unique_ptr<struct btf, void (*)(struct btf*)> sub(
      btf__new(subset->data(), static_cast<__u32>(subset->size())), btf__free);
  ASSERT_TRUE(sub);
  const uint32_t id = plans_.commands.at(16).plans.at(TCGETS).at(0).btf_id;
  const struct btf_type* t = btf__type_by_id(sub.get(), id);
  ASSERT_TRUE(t);
  EXPECT_STREQ(btf__name_by_offset(sub.get(), t->name_off), "termios");
}

}  // namespace
}  // namespace etrace::capture
