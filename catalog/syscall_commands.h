// Multiplexed syscalls (ioctl, prctl, futex, bpf, keyctl, ptrace,
// arch_prctl, quotactl): what each command takes. One syscall argument
// (the selector: ioctl's request, futex's op) picks the command; the
// command says which arguments exist, what each is, and what memory to
// copy for it, in the grammar of the semantics table. Shared by both
// tools: etrace-capture derives a copy plan per command from it,
// etrace-decode shows each call as its command does.
//
// The table itself is in syscall_commands_table.cpp, one line per command,
// with the values taken from the UAPI headers by the compiler.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/syscall_semantics.h"

namespace etrace::catalog {

// How a syscall's command is read from its registers:
// (uint32_t)args[arg] & mask (futex's op without its flags).
struct CommandSelector {
  std::string syscall;
  uint8_t arg = 0;
  uint32_t mask = 0xffffffff;
};

// Memory that a struct member points at, copied beside the struct
// (bpf_attr's license string): `arg` is the struct's argument.
struct NestedCopy {
  uint8_t arg = 0;
  std::string member;  // as kernel BTF names it
  ArgSemantics what;
};

struct CommandSemantics {
  std::string syscall;
  std::string name;    // "TCGETS"
  uint32_t value = 0;  // the selector's value that names it
  // By position, as the syscall's format file lists them; arguments past
  // the last are not shown, nor those whose bit is set in `hidden`.
  std::vector<ArgSemantics> args;
  uint8_t hidden = 0;
  std::vector<NestedCopy> nested;
  // What strace adds after a successful result: the value in a set's
  // notation, "= 1 (SUID_DUMP_USER)" (kEnum) or "= 0x2 (PR_SPEC_ENABLE)"
  // (kFlags, the result in hex); nullopt: the syscall's own result.
  std::optional<ArgSemantics> result;

  bool shown(size_t arg) const { return arg < args.size() && !((hidden >> arg) & 1); }
};

// nullptr when the syscall has no commands.
const CommandSelector* command_selector(std::string_view syscall);

// The command a call of `syscall` with these registers makes; nullptr when
// the syscall has none or the value is not in the table.
const CommandSemantics* find_command(std::string_view syscall, const std::array<uint64_t, 6>& regs);

// Every command of `syscall`, in table order.
std::vector<const CommandSemantics*> commands_of(std::string_view syscall);

// The table's lines, as syscall_commands_table.cpp lists them (exposed for
// tests): a syscall, the constant's name and value, and the argument text.
struct CommandLine {
  const char* syscall;
  const char* name;
  uint32_t value;
  const char* text;
};
struct SelectorLine {
  const char* syscall;
  uint8_t arg;
  uint32_t mask;
};

// Parses lines (exposed for tests); errors name the command.
struct CommandParseError {
  std::string command;
  std::string message;
};
std::vector<CommandSemantics> parse_commands(const std::vector<CommandLine>& lines,
                                             std::vector<CommandParseError>& errors);

}  // namespace etrace::catalog
