// strace's layouts of structs that commands of multiplexed syscalls pass:
// termios (ioctl's TCGETS), user_regs_struct (ptrace's GETREGS).
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "decode/values/struct_view_kit.h"
#include "decode/values/xlat/constant_table.h"

namespace etrace::decode::views {
namespace {

// The bits a value set takes: the union of its values (CR0..CR3 make CRDLY).
uint64_t mask_of(std::string_view set) {
  uint64_t mask = 0;
  for (const auto& c : xlat::constants(set)) mask |= static_cast<uint64_t>(c.value);
  return mask;
}

// The name of `v`'s field of the value set `set`, taking its bits.
std::string take_field(std::string_view set, uint64_t& v, unsigned shift = 0) {
  const uint64_t mask = mask_of(set) << shift;
  const uint64_t field = (v & mask) >> shift;
  v &= ~mask;
  if (auto name = xlat::name_of(xlat::constants(set), static_cast<int64_t>(field))) return std::string(*name);
  return hex_string(field);
}

// A termios flag word: its value fields by name ("NL0|CR0"), then its
// flags, then bits without a name in hex.
std::string flag_word(std::string out, uint64_t left, std::string_view flags) {
  if (left != 0) {
    const std::string rest = xlat::flags_string(xlat::constants(flags), left, "");
    out.append(out.empty() ? "" : "|").append(rest);
  }
  return out.empty() ? "0" : out;
}

Format termios_flags(std::string_view flags) {
  return [flags](const StructReader& r, std::string_view member) -> Value {
    const uint64_t v = r.uint(member);
    return Symbolic{static_cast<int64_t>(v), flag_word("", v, flags)};
  };
}

Value termios_oflag(const StructReader& r, std::string_view member) {
  const uint64_t v = r.uint(member);
  uint64_t left = v;
  std::string out;
  for (std::string_view field : {"termios_nl", "termios_cr", "termios_tab", "termios_bs", "termios_vt", "termios_ff"})
    out.append(out.empty() ? "" : "|").append(take_field(field, left));
  return Symbolic{static_cast<int64_t>(v), flag_word(out, left, "termios_oflag")};
}

// The output baud rate, the character size, and the input baud rate
// (CIBAUD, the same field IBSHIFT higher) when it is set apart.
Value termios_cflag(const StructReader& r, std::string_view member) {
  constexpr unsigned kIbshift = 16;
  const uint64_t v = r.uint(member);
  uint64_t left = v;
  std::string out = take_field("termios_baud", left) + "|" + take_field("termios_csize", left);
  if ((left >> kIbshift) & mask_of("termios_baud")) out += "|" + take_field("termios_baud", left, kIbshift) + "<<IBSHIFT";
  return Symbolic{static_cast<int64_t>(v), flag_word(out, left, "termios_cflag")};
}

// C's "%#lx": registers as strace prints them, 0 for zero.
Value as_register(const StructReader& r, std::string_view member) {
  const uint64_t v = r.uint(member);
  return Symbolic{static_cast<int64_t>(v), xlat::c_hex(v), true};
}

}  // namespace

// strace shows the four flag words and leaves the line discipline and the
// control characters out.
Value view_termios(const StructReader& r) {
  Aggregate a = ViewBuilder(r)
                    .field("c_iflag", termios_flags("termios_iflag"))
                    .field("c_oflag", termios_oflag)
                    .field("c_cflag", termios_cflag)
                    .field("c_lflag", termios_flags("termios_lflag"))
                    .done();
  a.elided = true;
  return a;
}

// The kernel's member names beside the user-space ones strace shows.
Value view_user_regs(const StructReader& r) {
  static constexpr std::pair<std::string_view, std::string_view> kRegisters[] = {
      {"r15", "r15"}, {"r14", "r14"}, {"r13", "r13"},       {"r12", "r12"}, {"bp", "rbp"},   {"bx", "rbx"},
      {"r11", "r11"}, {"r10", "r10"}, {"r9", "r9"},         {"r8", "r8"},   {"ax", "rax"},   {"cx", "rcx"},
      {"dx", "rdx"},  {"si", "rsi"},  {"di", "rdi"},        {"orig_ax", "orig_rax"},         {"ip", "rip"},
      {"cs", "cs"},   {"flags", "eflags"}, {"sp", "rsp"},   {"ss", "ss"},   {"fs_base", "fs_base"},
      {"gs_base", "gs_base"}, {"ds", "ds"}, {"es", "es"},   {"fs", "fs"},   {"gs", "gs"}};
  Aggregate a;
  for (const auto& [member, shown] : kRegisters) {
    if (!r.present(member)) {
      a.elided = true;
      continue;
    }
    a.fields.push_back({std::string(shown), as_register(r, member)});
  }
  return a;
}

}  // namespace etrace::decode::views
