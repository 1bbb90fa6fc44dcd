#include "decode/arguments/command_structs.h"

#include <linux/types.h>

#include <algorithm>
#include <string>
#include <vector>

#include "decode/arguments/payload_values.h"
#include "decode/values/struct_view_kit.h"
#include "decode/values/xlat/sockaddr.h"
#include "decode/values/xlat/xlat.h"
#include "format/records.h"

namespace etrace::decode {
namespace {

using views::Format;
using views::StructReader;

// ---- struct ifreq: the interface's name or index goes in, the member
// the request names comes back.

// "{sa_family=ARPHRD_ETHER, sa_data=02:42:ac:11:00:02}"
Value hardware_address(const StructReader& r, std::string_view member) {
  const auto bytes = r.raw(member);
  if (!bytes || bytes->size() < 8) return r.generic(member);
  const auto family = static_cast<uint16_t>(static_cast<uint8_t>((*bytes)[0]) | static_cast<uint8_t>((*bytes)[1]) << 8);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string data;
  for (size_t i = 2; i < 8; ++i) {
    if (i > 2) data += ':';
    data += kHex[static_cast<uint8_t>((*bytes)[i]) >> 4];
    data += kHex[static_cast<uint8_t>((*bytes)[i]) & 0xf];
  }
  Aggregate a;
  a.fields.push_back({"sa_family", Symbolic{family, xlat::enum_text("arphrd", family)}});
  a.fields.push_back({"sa_data", Symbolic{0, data}});
  return a;
}

Value socket_address(const StructReader& r, std::string_view member) {
  const auto bytes = r.raw(member);
  if (!bytes) return r.generic(member);
  return xlat::sockaddr_value(*bytes);
}

struct IfreqMember {
  std::string_view request;
  std::string_view shown;   // as strace names it
  std::string_view member;  // in ifr_ifru, as BTF does
  Format format;
};

const IfreqMember* ifreq_member(std::string_view request) {
  static const IfreqMember kMembers[] = {
      {"SIOCGIFINDEX", "ifr_ifindex", "ifru_ivalue", views::as_generic},
      {"SIOCGIFNAME", "ifr_name", "", views::as_generic},
      {"SIOCGIFFLAGS", "ifr_flags", "ifru_flags", views::as_flags("iff")},
      {"SIOCSIFFLAGS", "ifr_flags", "ifru_flags", views::as_flags("iff")},
      {"SIOCGIFMTU", "ifr_mtu", "ifru_mtu", views::as_generic},
      {"SIOCSIFMTU", "ifr_mtu", "ifru_mtu", views::as_generic},
      {"SIOCGIFTXQLEN", "ifr_qlen", "ifru_ivalue", views::as_generic},
      {"SIOCGIFMETRIC", "ifr_metric", "ifru_ivalue", views::as_generic},
      {"SIOCGIFADDR", "ifr_addr", "ifru_addr", socket_address},
      {"SIOCGIFNETMASK", "ifr_netmask", "ifru_netmask", socket_address},
      {"SIOCGIFBRDADDR", "ifr_broadaddr", "ifru_broadaddr", socket_address},
      {"SIOCGIFDSTADDR", "ifr_dstaddr", "ifru_dstaddr", socket_address},
      {"SIOCGIFHWADDR", "ifr_hwaddr", "ifru_hwaddr", hardware_address},
  };
  for (const auto& m : kMembers)
    if (m.request == request) return &m;
  return nullptr;
}

void add_name(const StructReader& r, Aggregate& out) {
  if (auto name = r.nested("ifr_ifrn")) out.fields.push_back({"ifr_name", name->generic("ifrn_name")});
}

void add_member(const StructReader& r, const IfreqMember& m, Aggregate& out) {
  if (m.member.empty()) return add_name(r, out);
  if (auto u = r.nested("ifr_ifru")) out.fields.push_back({std::string(m.shown), m.format(*u, m.member)});
}

// Setters show the name and the new value as passed; getters the name (or
// for SIOCGIFNAME the index) as passed and, when the call succeeded, what
// came back.
Aggregate ifreq_fields(std::string_view request, const StructReader* in, const StructReader* out) {
  Aggregate a;
  const IfreqMember* m = ifreq_member(request);
  if (!m || !in) return a;
  if (request == "SIOCGIFNAME") {
    if (auto u = in->nested("ifr_ifru")) a.fields.push_back({"ifr_ifindex", u->generic("ifru_ivalue")});
  } else {
    add_name(*in, a);
  }
  if (request.starts_with("SIOCS")) add_member(*in, *m, a);
  else if (out) add_member(*out, *m, a);
  return a;
}

std::optional<Value> ifreq_value(const CommandStruct& s) {
  if (!s.at_enter || !ifreq_member(s.command.name)) return std::nullopt;
  const StructReader in(s.btf, s.btf_id, s.at_enter->bytes, {});
  const std::optional<StructReader> out =
      s.at_exit ? std::optional(StructReader(s.btf, s.btf_id, s.at_exit->bytes, {})) : std::nullopt;
  return ifreq_fields(s.command.name, &in, out ? &*out : nullptr);
}

// ---- struct ifconf: the buffer's length in, the interfaces' addresses out.

// "160 /* 4 * sizeof(struct ifreq) */"
std::string ifc_len_text(int64_t len, uint64_t ifreq_size) {
  std::string text = std::to_string(len);
  if (ifreq_size && len > 0 && static_cast<uint64_t>(len) % ifreq_size == 0)
    text += " /* " + std::to_string(static_cast<uint64_t>(len) / ifreq_size) + " * sizeof(struct ifreq) */";
  return text;
}

std::optional<Value> ifconf_value(const CommandStruct& s) {
  if (!s.at_enter) return std::nullopt;
  const auto ifreq_id = s.btf.find_type("ifreq");
  const uint64_t ifreq_size = ifreq_id ? s.btf.size_of(*ifreq_id).value_or(0) : 0;
  const StructReader in(s.btf, s.btf_id, s.at_enter->bytes, {});
  const uint64_t buffer = in.nested("ifc_ifcu") ? in.nested("ifc_ifcu")->uint("ifcu_buf") : 0;
  const int64_t len_in = in.sint("ifc_len");
  Aggregate a;
  // Without a buffer the kernel only says how much it would need.
  std::string len = buffer || !s.at_exit ? ifc_len_text(len_in, ifreq_size) : "";
  if (s.at_exit) {
    const int64_t len_out = StructReader(s.btf, s.btf_id, s.at_exit->bytes, {}).sint("ifc_len");
    if (!buffer) len = ifc_len_text(len_out, ifreq_size);
    else if (len_out != len_in) len += " => " + ifc_len_text(len_out, ifreq_size);
  }
  a.fields.push_back({"ifc_len", Symbolic{len_in, len}});
  const PayloadItem* entries = s.nested("ifc_ifcu.ifcu_buf", true);
  if (!buffer || !s.at_exit || !entries || !ifreq_id || !ifreq_size ||
      (entries->flags & (ETRACE_PAYLOAD_FAULT | ETRACE_PAYLOAD_NULL))) {
    a.fields.push_back({"ifc_buf", Pointer{buffer}});
    return a;
  }
  List l;
  for (size_t off = 0; off + ifreq_size <= entries->bytes.size(); off += ifreq_size) {
    const StructReader r(s.btf, *ifreq_id, std::string_view(entries->bytes).substr(off, ifreq_size), {});
    Aggregate e;
    add_name(r, e);
    if (auto u = r.nested("ifr_ifru")) e.fields.push_back({"ifr_addr", socket_address(*u, "ifru_addr")});
    l.items.push_back(std::move(e));
  }
  l.more = (entries->flags & ETRACE_PAYLOAD_CUT) != 0;
  a.fields.push_back({"ifc_buf", std::move(l)});
  return a;
}

// ---- union bpf_attr: the members each command reads, in strace's order.

// "KERNEL_VERSION(6, 1, 0)"
Value kernel_version(const StructReader& r, std::string_view member) {
  const uint64_t v = r.uint(member);
  return Symbolic{static_cast<int64_t>(v), "KERNEL_VERSION(" + std::to_string(v >> 16) + ", " +
                                               std::to_string((v >> 8) & 0xff) + ", " + std::to_string(v & 0xff) + ")"};
}

struct AttrMember {
  std::string_view name;
  Format format = views::as_generic;
};

struct AttrCommand {
  std::string_view command;
  std::string_view group;  // a named member holding the others (info, link_create), or none
  std::vector<AttrMember> members;
};

const AttrCommand* attr_command(std::string_view command) {
  static const Format ptr = views::as_pointer;
  static const std::vector<AttrMember> kElem = {
      {"map_fd"}, {"key", ptr}, {"value", ptr}, {"flags", views::as_enum("bpf_elem_flags")}};
  static const std::vector<AttrMember> kById = {{"start_id"}, {"next_id"}, {"open_flags"}};
  static const AttrCommand kCommands[] = {
      {"BPF_MAP_CREATE", "",
       {{"map_type", views::as_enum("bpf_map_type")},
        {"key_size"},
        {"value_size"},
        {"max_entries"},
        {"map_flags", views::as_flags("bpf_map_flags")},
        {"inner_map_fd"},
        {"map_name"},
        {"map_ifindex"},
        {"btf_fd"},
        {"btf_key_type_id"},
        {"btf_value_type_id"},
        {"btf_vmlinux_value_type_id"},
        {"map_extra"}}},
      {"BPF_MAP_LOOKUP_ELEM", "", kElem},
      {"BPF_MAP_UPDATE_ELEM", "", kElem},
      {"BPF_MAP_DELETE_ELEM", "", {{"map_fd"}, {"key", ptr}}},
      {"BPF_MAP_GET_NEXT_KEY", "", {{"map_fd"}, {"key", ptr}, {"next_key", ptr}}},
      {"BPF_PROG_LOAD", "",
       {{"prog_type", views::as_enum("bpf_prog_type")},
        {"insn_cnt"},
        {"insns", ptr},
        {"license", ptr},
        {"log_level"},
        {"log_size"},
        {"log_buf", ptr},
        {"kern_version", kernel_version},
        {"prog_flags", views::as_flags("bpf_prog_flags")},
        {"prog_name"},
        {"prog_ifindex"},
        {"expected_attach_type", views::as_enum("bpf_attach_type")},
        {"prog_btf_fd"},
        {"func_info_rec_size"},
        {"func_info", ptr},
        {"func_info_cnt"},
        {"line_info_rec_size"},
        {"line_info", ptr},
        {"line_info_cnt"},
        {"attach_btf_id"},
        {"attach_prog_fd"},
        {"fd_array", ptr}}},
      {"BPF_OBJ_PIN", "", {{"pathname", ptr}, {"bpf_fd"}, {"file_flags"}}},
      {"BPF_OBJ_GET", "", {{"pathname", ptr}, {"bpf_fd"}, {"file_flags"}}},
      {"BPF_PROG_GET_NEXT_ID", "", kById},
      {"BPF_MAP_GET_NEXT_ID", "", kById},
      {"BPF_LINK_GET_NEXT_ID", "", kById},
      {"BPF_BTF_GET_NEXT_ID", "", kById},
      {"BPF_PROG_GET_FD_BY_ID", "", {{"prog_id"}, {"next_id"}, {"open_flags"}}},
      {"BPF_MAP_GET_FD_BY_ID", "", {{"map_id"}, {"next_id"}, {"open_flags"}}},
      {"BPF_LINK_GET_FD_BY_ID", "", {{"link_id"}, {"next_id"}, {"open_flags"}}},
      {"BPF_BTF_GET_FD_BY_ID", "", {{"btf_id"}, {"next_id"}, {"open_flags"}}},
      {"BPF_OBJ_GET_INFO_BY_FD", "info", {{"bpf_fd"}, {"info_len"}, {"info", ptr}}},
      {"BPF_LINK_CREATE", "link_create",
       {{"prog_fd"}, {"target_fd"}, {"attach_type", views::as_enum("bpf_attach_type")}, {"flags"}}},
      {"BPF_BTF_LOAD", "",
       {{"btf", ptr}, {"btf_log_buf", ptr}, {"btf_size"}, {"btf_log_size"}, {"btf_log_level"}}},
  };
  for (const auto& c : kCommands)
    if (c.command == command) return &c;
  return nullptr;
}

// Where the members the command shows end, in the attr's bytes.
uint64_t end_of(const BtfTypes& btf, uint32_t id, const AttrCommand& c) {
  uint64_t end = 0;
  for (const auto& m : c.members) {
    const auto member = btf.member(id, m.name);
    if (member) end = std::max(end, member->bit_offset / 8 + btf.size_of(member->type_id).value_or(0));
  }
  return end;
}

// A string a member points at, when the capture copied it.
std::optional<Value> pointed_string(const CommandStruct& s, std::string_view member) {
  const PayloadItem* item = s.nested(member, false);
  if (!item) return std::nullopt;
  if (item->flags & ETRACE_PAYLOAD_NULL) return Pointer{0};
  if (item->flags & ETRACE_PAYLOAD_FAULT) return std::nullopt;
  return bytes_value(*item, Bytes::Style::kString, 0);
}

std::optional<Value> bpf_attr_value(const CommandStruct& s) {
  const AttrCommand* c = attr_command(s.command.name);
  if (!c || !s.at_enter) return std::nullopt;
  // The command's members, in a named member of the union or in the union.
  const auto members = [&](const PayloadItem* copy) -> std::optional<StructReader> {
    if (!copy) return std::nullopt;
    const StructReader whole(s.btf, s.btf_id, copy->bytes, {});
    return c->group.empty() ? std::optional(whole) : whole.nested(c->group);
  };
  const std::optional<StructReader> in = members(s.at_enter), out = members(s.at_exit);
  if (!in) return std::nullopt;
  Aggregate fields;
  for (const auto& m : c->members) {
    if (!in->present(m.name)) break;
    Value v = m.format(*in, m.name);
    if (auto text = pointed_string(s, m.name)) v = std::move(*text);
    // Members the kernel fills in: "next_id=0 => 46617".
    if (out && out->present(m.name) && out->uint(m.name) != in->uint(m.name))
      v = Symbolic{0, std::to_string(in->uint(m.name)) + " => " + std::to_string(out->uint(m.name))};
    fields.fields.push_back({std::string(m.name), std::move(v)});
  }
  // Bytes past the command's members that are not zero are shown as "...".
  const std::string_view bytes = s.at_enter->bytes;
  const uint64_t end = end_of(s.btf, s.btf_id, *c);
  fields.elided = end < bytes.size() && std::any_of(bytes.begin() + static_cast<long>(end), bytes.end(),
                                                    [](char b) { return b != 0; });
  if (c->group.empty()) return fields;
  Aggregate outer;
  outer.fields.push_back({std::string(c->group), std::move(fields)});
  return outer;
}

}  // namespace

std::optional<Value> command_struct_value(const CommandStruct& s) {
  const std::string_view type = s.btf.struct_name(s.btf_id);
  if (s.command.syscall == "ioctl" && type == "ifreq") return ifreq_value(s);
  if (s.command.syscall == "ioctl" && type == "ifconf") return ifconf_value(s);
  if (s.command.syscall == "bpf" && type == "bpf_attr") return bpf_attr_value(s);
  return std::nullopt;
}

}  // namespace etrace::decode
