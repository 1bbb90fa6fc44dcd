#include "decode/values/xlat/xlat.h"

#include <unordered_map>

#include "decode/values/value.h"
#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/custom_sets.h"

namespace etrace::decode::xlat {
namespace {

struct CustomSet {
  std::string_view name;
  std::string (*text)(int64_t value);
};

constexpr CustomSet kCustomSets[] = {
    {"ioctl", ioctl_text},
    {"open", open_text},
    {"fd_open", fd_open_text},
    {"statx_at", statx_at_text},
    {"mount", mount_text},
    {"map", map_text},
    {"clone", clone_text},
    {"futex_op", futex_op_text},
    {"socktype", socktype_text},
    {"futex_wake_op", futex_wake_op_text},
    {"futex_bitset", futex_bitset_text},
    {"key_serial", key_serial_text},
    {"key_perm", key_perm_text},
    {"qcmd", qcmd_text},
    {"ptrace_user", ptrace_user_text},
    {"suid_dump", suid_dump_text},
};

const CustomSet* custom_set(std::string_view set) {
  for (const auto& custom : kCustomSets)
    if (custom.name == set) return &custom;
  return nullptr;
}

// The generated table of the set's name, if its list says how it prints.
const ConstantSetEntry* printed_table(std::string_view set) {
  const ConstantSetEntry* entry = constant_set(set);
  return entry && entry->print != ConstantSetEntry::Print::kTableOnly ? entry : nullptr;
}

std::string set_text(std::string_view set, int64_t value) {
  if (const CustomSet* custom = custom_set(set)) return custom->text(value);
  const ConstantSetEntry* table = printed_table(set);
  if (table == nullptr) return hex_string(static_cast<uint64_t>(value));
  if (table->print == ConstantSetEntry::Print::kFlags)
    return flags_string(constants(set), static_cast<uint64_t>(value), table->unknown);
  return value_string(constants(set), value, table->unknown);
}

}  // namespace

bool has_set(std::string_view set) { return custom_set(set) != nullptr || printed_table(set) != nullptr; }

// A set prints the same whichever way the semantics table names it: the
// shape belongs to the set (socket's type is a value and flags at once).
std::string flags_text(std::string_view set, uint64_t value) { return set_text(set, static_cast<int64_t>(value)); }

std::string enum_text(std::string_view set, int64_t value) { return set_text(set, value); }

}  // namespace etrace::decode::xlat
