// Structs whose members the command chooses: ioctl's struct ifreq shows
// the member its request reads or writes, bpf's union bpf_attr the members
// of its command. Each is shown as strace does, from the copy made at
// enter and, when the call succeeded, the one made at exit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "catalog/syscall_commands.h"
#include "decode/arguments/decode_options.h"
#include "decode/input/record_parser.h"
#include "decode/values/btf_types.h"
#include "decode/values/value.h"

namespace etrace::decode {

struct CommandStruct {
  const catalog::CommandSemantics& command;
  const BtfTypes& btf;
  uint32_t btf_id;                // the struct's type in the capture's BTF
  const PayloadItem* at_enter;    // nullptr when not copied or unreadable
  const PayloadItem* at_exit;     // nullptr when not copied (the call failed)
  // The copy of what a member points at (catalog::NestedCopy), at enter or
  // at exit; nullptr when there is none.
  std::function<const PayloadItem*(std::string_view member, bool at_exit)> nested;
  uint64_t address;
  const DecodeOptions& options;
};

// nullopt: the struct has no command view; it is shown as any other.
std::optional<Value> command_struct_value(const CommandStruct& s);

}  // namespace etrace::decode
