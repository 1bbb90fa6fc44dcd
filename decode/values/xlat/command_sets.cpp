// Arguments of multiplexed syscalls' commands that a table alone does not
// print: futex's wake operation, key serials and permissions, quotactl's
// command word, ptrace's user-area offsets, dumpable modes.
#include <linux/futex.h>

#include <string>

#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/custom_sets.h"

namespace etrace::decode::xlat {
namespace {

std::string named_or_hex(std::string_view set, int64_t value, std::string_view unknown) {
  if (auto name = name_of(constants(set), value)) return std::string(*name);
  return unknown_value(static_cast<uint64_t>(value), unknown);
}

}  // namespace

// FUTEX_OP(op, oparg, cmp, cmparg) spelled as its shifts:
// "FUTEX_OP_SET<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0".
std::string futex_wake_op_text(int64_t value) {
  const auto v = static_cast<uint32_t>(value);
  uint32_t op = v >> 28;
  std::string out;
  if (op & FUTEX_OP_OPARG_SHIFT) {
    out = "FUTEX_OP_OPARG_SHIFT<<28|";
    op &= ~static_cast<uint32_t>(FUTEX_OP_OPARG_SHIFT);
  }
  out += named_or_hex("futex_wake_op_op", op, "FUTEX_OP_???") + "<<28|";
  out += c_hex((v >> 12) & 0xfff) + "<<12|";
  out += named_or_hex("futex_wake_op_cmp", (v >> 24) & 0xf, "FUTEX_OP_CMP_???") + "<<24|";
  out += c_hex(v & 0xfff);
  return out;
}

// FUTEX_WAIT_BITSET's bitset: FUTEX_BITSET_MATCH_ANY, or the bits in hex.
std::string futex_bitset_text(int64_t value) {
  const auto v = static_cast<uint32_t>(value);
  if (auto name = name_of(constants("futex_bitset"), v)) return std::string(*name);
  return c_hex(v);
}

// A key serial: KEY_SPEC_PROCESS_KEYRING, or the serial in decimal.
std::string key_serial_text(int64_t value) {
  const auto serial = static_cast<int32_t>(value);
  if (auto name = name_of(constants("key_spec"), serial)) return std::string(*name);
  return std::to_string(serial);
}

// quotactl's command word, QCMD(Q_GETQUOTA, USRQUOTA).
std::string qcmd_text(int64_t value) {
  const auto v = static_cast<uint32_t>(value);
  return "QCMD(" + named_or_hex("quota_cmd", v >> 8, "Q_???") + ", " +
         named_or_hex("quota_type", v & 0xff, "???QUOTA") + ")";
}

// An offset into the user area: a register's, 8*RIP, or a number.
std::string ptrace_user_text(int64_t value) {
  const auto offset = static_cast<uint64_t>(value);
  if (offset % 8 == 0)
    if (auto name = name_of(constants("user_regs"), static_cast<int64_t>(offset / 8))) return "8*" + std::string(*name);
  return c_hex(offset);
}

// KEYCTL_SETPERM's permissions: six bits for each of possessor, user,
// group and others, from the top byte down. Their names are the kernel's
// own (linux/key.h), not in its UAPI headers, so they are written here.
std::string key_perm_text(int64_t value) {
  static constexpr Constant kPerms[] = {
      {"KEY_POS_VIEW", 0x01000000}, {"KEY_POS_READ", 0x02000000}, {"KEY_POS_WRITE", 0x04000000},
      {"KEY_POS_SEARCH", 0x08000000}, {"KEY_POS_LINK", 0x10000000}, {"KEY_POS_SETATTR", 0x20000000},
      {"KEY_USR_VIEW", 0x00010000}, {"KEY_USR_READ", 0x00020000}, {"KEY_USR_WRITE", 0x00040000},
      {"KEY_USR_SEARCH", 0x00080000}, {"KEY_USR_LINK", 0x00100000}, {"KEY_USR_SETATTR", 0x00200000},
      {"KEY_GRP_VIEW", 0x00000100}, {"KEY_GRP_READ", 0x00000200}, {"KEY_GRP_WRITE", 0x00000400},
      {"KEY_GRP_SEARCH", 0x00000800}, {"KEY_GRP_LINK", 0x00001000}, {"KEY_GRP_SETATTR", 0x00002000},
      {"KEY_OTH_VIEW", 0x00000001}, {"KEY_OTH_READ", 0x00000002}, {"KEY_OTH_WRITE", 0x00000004},
      {"KEY_OTH_SEARCH", 0x00000008}, {"KEY_OTH_LINK", 0x00000010}, {"KEY_OTH_SETATTR", 0x00000020}};
  return flags_string(kPerms, static_cast<uint32_t>(value), "KEY_???");
}

// PR_SET_DUMPABLE's modes. The kernel keeps their names out of its UAPI
// headers (linux/sched/coredump.h), so they are written here.
std::string suid_dump_text(int64_t value) {
  static constexpr Constant kModes[] = {{"SUID_DUMP_DISABLE", 0}, {"SUID_DUMP_USER", 1}, {"SUID_DUMP_ROOT", 2}};
  return value_string(kModes, value, "SUID_DUMP_???");
}

}  // namespace etrace::decode::xlat
