// What a syscall needs beyond its line of the semantics table, bound by
// name in one table (syscall_decoders.cpp), as strace's syscallent binds
// each syscall to its decoder: which arguments strace shows, arguments whose
// notation another argument decides, memory whose bytes mean more than the
// table says, the note after a result, arguments shown by name. A syscall
// the table does not list is decoded from the semantics table alone.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "decode/values/value.h"

namespace etrace::decode {

struct Call;
struct PayloadItem;
struct SyscallSignature;
class BtfTypes;

using Registers = std::array<uint64_t, 6>;

struct SyscallDecoders {
  // How many arguments strace shows (open's mode only with O_CREAT).
  size_t (*shown)(const Registers& regs) = nullptr;
  // Register argument `dependent_arg`, shown as another argument decides
  // (fcntl's third by its command).
  int dependent_arg = -1;
  Value (*dependent)(const Registers& regs) = nullptr;
  // What the bytes copied for pointer argument `memory_arg` hold (wait4's
  // status); nothing leaves them to the semantics table.
  int memory_arg = -1;
  std::optional<Value> (*memory)(const PayloadItem& copied, uint64_t address, bool verbose) = nullptr;
  // The same, for memory whose meaning the other registers decide (a socket
  // option's value by its level and name); used instead of `memory`.
  std::optional<Value> (*memory_by_registers)(const PayloadItem& copied, const Registers& regs) = nullptr;
  // The note strace adds after a successful result (fcntl's flags, poll's
  // ready descriptors). `btf` may be null.
  void (*annotate_result)(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret) =
      nullptr;
  // The argument whose data are messages on the socket of argument 0 (a
  // buffer, or a msghdr's iovecs): netlink messages on an AF_NETLINK socket.
  int socket_data_arg = -1;
  // All arguments as "name=value" (clone).
  std::vector<NamedValue> (*named_arguments)(const Registers& regs) = nullptr;
};

// nullptr for a syscall the table does not list.
const SyscallDecoders* syscall_decoders(std::string_view name);

}  // namespace etrace::decode
