// The command table of multiplexed syscalls: it parses, its selectors pick
// the right command out of the registers, and its struct names are the
// running kernel's.
#include <bpf/btf.h>
#include <gtest/gtest.h>
#include <linux/futex.h>
#include <linux/prctl.h>
#include <linux/quota.h>

#include <array>
#include <set>
#include <string>
#include <vector>

#include "catalog/syscall_commands.h"

namespace etrace::catalog {
extern const CommandLine kCommandLines[];
extern const size_t kCommandLineCount;
}  // namespace etrace::catalog

namespace {

using namespace etrace::catalog;

TEST(SyscallCommands, TableParsesWithoutErrors) {
  std::vector<CommandParseError> errors;
  const auto commands = parse_commands({kCommandLines, kCommandLines + kCommandLineCount}, errors);
  for (const auto& e : errors) ADD_FAILURE() << e.command << ": " << e.message;
  EXPECT_EQ(commands.size(), kCommandLineCount);
}

TEST(SyscallCommands, EveryCommandedSyscallHasASelectorAndNoValueTwice) {
  std::set<std::pair<std::string, uint32_t>> seen;
  for (const char* syscall : {"ioctl", "prctl", "arch_prctl", "futex", "keyctl", "bpf", "ptrace", "quotactl"}) {
    EXPECT_NE(command_selector(syscall), nullptr) << syscall;
    EXPECT_FALSE(commands_of(syscall).empty()) << syscall;
    for (const CommandSemantics* c : commands_of(syscall))
      EXPECT_TRUE(seen.insert({c->syscall, c->value}).second) << syscall << " " << c->name << " twice";
  }
  EXPECT_EQ(command_selector("read"), nullptr);
}

TEST(SyscallCommands, SelectorsReadTheirArgumentUnderTheirMask) {
  // futex's op with FUTEX_PRIVATE_FLAG is still FUTEX_WAIT.
  const CommandSemantics* wait = find_command("futex", {0x1000, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0});
  ASSERT_NE(wait, nullptr);
  EXPECT_EQ(wait->name, "FUTEX_WAIT");
  // quotactl's type (the low byte) does not change the command.
  const auto getquota = static_cast<uint32_t>(QCMD(Q_GETQUOTA, GRPQUOTA));
  const CommandSemantics* get = find_command("quotactl", {getquota, 0, 0, 0, 0, 0});
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->name, "Q_GETQUOTA");
  // The upper half of prctl's register is not part of the option.
  const CommandSemantics* read = find_command("prctl", {0xffffffff00000000ull | PR_CAPBSET_READ, 33, 0, 0, 0});
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->name, "PR_CAPBSET_READ");
  EXPECT_EQ(find_command("prctl", {0x5eed, 0, 0, 0, 0, 0}), nullptr);
  EXPECT_EQ(find_command("read", {PR_CAPBSET_READ, 0, 0, 0, 0, 0}), nullptr);
}

TEST(SyscallCommands, CommandsSayWhichArgumentsAreShownAndWhat) {
  const CommandSemantics* get_name = find_command("prctl", {PR_GET_NAME, 0, 0, 0, 0, 0});
  ASSERT_NE(get_name, nullptr);
  ASSERT_EQ(get_name->args.size(), 2u);
  EXPECT_EQ(get_name->args[1].kind, ArgKind::kString);
  EXPECT_EQ(get_name->args[1].direction, Direction::kOut);
  EXPECT_FALSE(get_name->shown(2));

  // FUTEX_LOCK_PI skips val: shown are uaddr, op and the timeout.
  const CommandSemantics* lock = find_command("futex", {0, FUTEX_LOCK_PI, 0, 0, 0, 0});
  ASSERT_NE(lock, nullptr);
  EXPECT_TRUE(lock->shown(1));
  EXPECT_FALSE(lock->shown(2));
  EXPECT_TRUE(lock->shown(3));
  EXPECT_EQ(lock->args[3].kind, ArgKind::kStruct);
  EXPECT_EQ(lock->args[3].param, "__kernel_timespec");

  const CommandSemantics* dumpable = find_command("prctl", {PR_GET_DUMPABLE, 0, 0, 0, 0, 0});
  ASSERT_NE(dumpable, nullptr);
  ASSERT_TRUE(dumpable->result.has_value());
  EXPECT_EQ(dumpable->result->kind, ArgKind::kEnum);
  EXPECT_EQ(dumpable->result->param, "suid_dump");
}

TEST(SyscallCommands, NestedCopiesNameTheirStructsMember) {
  bool found = false;
  for (const CommandSemantics* c : commands_of("bpf")) {
    if (c->name != "BPF_PROG_LOAD") continue;
    found = true;
    ASSERT_EQ(c->nested.size(), 1u);
    EXPECT_EQ(c->nested[0].arg, 1);
    EXPECT_EQ(c->nested[0].member, "license");
    EXPECT_EQ(c->nested[0].what.kind, ArgKind::kString);
    // The attr is copied as long as the size argument says.
    EXPECT_EQ(c->args[1].length.from, LengthSource::From::kArg);
    EXPECT_EQ(c->args[1].length.arg, 2);
  }
  EXPECT_TRUE(found);
}

TEST(CommandParser, ErrorsNameTheCommand) {
  const std::vector<CommandLine> lines = {
      {"prctl", "GOOD", 1, "enum:prctl int"},
      {"prctl", "NO_SUCH_KIND", 2, "enum:prctl wibble"},
      {"prctl", "RESULT_NOT_A_SET", 3, "enum:prctl -> int"},
      {"bpf", "NESTED_OF_HIDDEN", 4, "enum:bpf_cmd - uint arg1.license=str"},
      {"bpf", "NESTED_BAD", 5, "enum:bpf_cmd struct:bpf_attr arg9.x=str"},
      {"prctl", "SEVEN", 6, "int int int int int int int"},
  };
  std::vector<CommandParseError> errors;
  const auto commands = parse_commands(lines, errors);
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].name, "GOOD");
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0].command, "prctl NO_SUCH_KIND");
  EXPECT_EQ(errors[2].command, "bpf NESTED_OF_HIDDEN");
  EXPECT_NE(errors[2].message.find("not shown"), std::string::npos) << errors[2].message;
  EXPECT_NE(errors[4].message.find("six"), std::string::npos) << errors[4].message;
}

TEST(SyscallCommands, StructNamesExistInKernelBtf) {
  btf* vmlinux = btf__parse("/sys/kernel/btf/vmlinux", nullptr);
  if (!vmlinux)
    GTEST_SKIP() << "SKIPPED: /sys/kernel/btf/vmlinux cannot be read: the command table's structs were NOT checked";
  for (const char* syscall : {"ioctl", "prctl", "arch_prctl", "futex", "keyctl", "bpf", "ptrace", "quotactl"})
    for (const CommandSemantics* c : commands_of(syscall))
      for (const auto& a : c->args) {
        if (a.kind != ArgKind::kStruct) continue;
        const bool found = btf__find_by_name_kind(vmlinux, a.param.c_str(), BTF_KIND_STRUCT) >= 0 ||
                           btf__find_by_name_kind(vmlinux, a.param.c_str(), BTF_KIND_UNION) >= 0;
        EXPECT_TRUE(found) << syscall << " " << c->name << ": no type '" << a.param << "' in kernel BTF";
      }
  btf__free(vmlinux);
}

}  // namespace
