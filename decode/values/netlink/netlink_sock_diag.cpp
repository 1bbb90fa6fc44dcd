#include "decode/values/netlink/netlink_sock_diag.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>

#include "decode/values/netlink/netlink_kit.h"
#include "decode/values/xlat/constant_table.h"

namespace etrace::decode::netlink {
namespace {

// TCP's states have no UAPI header; glibc's netinet/tcp.h lists those up
// to TCP_CLOSING, the kernel's include/net/tcp_states.h this one more.
constexpr int kTcpNewSynRecv = 12;

std::string state_name(unsigned state) {
  if (state == kTcpNewSynRecv) return "TCP_NEW_SYN_RECV";
  auto name = xlat::name_of(xlat::constants("tcp_state"), state);
  return name ? std::string(*name) : "";
}

Value state(uint8_t value) {
  const std::string name = state_name(value);
  return Symbolic{value, name.empty() ? xlat::unknown_value(value, "TCP_???") : name};
}

// A bit per state, as strace writes it: "1<<TCP_ESTABLISHED|1<<TCP_LISTEN|0x1".
Value states(uint32_t bits) {
  std::string text;
  uint32_t rest = bits;
  for (unsigned s = 0; s < 32; ++s) {
    if (!(bits & (1u << s))) continue;
    const std::string name = state_name(s);
    if (name.empty()) continue;
    text += (text.empty() ? "" : "|") + ("1<<" + name);
    rest &= ~(1u << s);
  }
  if (rest) text += (text.empty() ? "" : "|") + xlat::c_hex(rest);
  return Symbolic{bits, text.empty() ? "0" : text};
}

// A bit per attribute asked for: "1<<(INET_DIAG_MEMINFO-1)".
Value extensions(uint8_t bits) {
  std::string text;
  uint32_t rest = bits;
  for (unsigned b = 0; b < 8; ++b) {
    if (!(bits & (1u << b))) continue;
    auto name = xlat::name_of(xlat::constants("inet_diag_attr"), b + 1);
    if (!name) continue;
    text += (text.empty() ? "" : "|") + ("1<<(" + std::string(*name) + "-1)");
    rest &= ~(1u << b);
  }
  if (rest) text += (text.empty() ? "" : "|") + xlat::c_hex(rest);
  return Symbolic{bits, text.empty() ? "0" : text};
}

List cookie(const uint32_t (&halves)[2]) {
  List l;
  for (uint32_t half : halves) l.items.emplace_back(UnsignedInt{half});
  return l;
}

Value socket_id(std::string_view bytes, int family) {
  const auto id = load<inet_diag_sockid>(bytes);
  const auto raw = [&](size_t offset) { return bytes.substr(offset); };
  Aggregate a;
  a.fields.push_back({"idiag_sport", port(raw(offsetof(inet_diag_sockid, idiag_sport)))});
  a.fields.push_back({"idiag_dport", port(raw(offsetof(inet_diag_sockid, idiag_dport)))});
  for (auto [name, offset] : {std::pair{"idiag_src", offsetof(inet_diag_sockid, idiag_src)},
                              std::pair{"idiag_dst", offsetof(inet_diag_sockid, idiag_dst)}}) {
    auto address = inet_address(family, raw(offset));
    if (!address) {
      a.fields.push_back({name, hex_bytes(raw(offset).substr(0, sizeof id.idiag_src))});
    } else if (family == AF_INET6) {
      // strace spells an IPv6 field as the call that fills it in.
      auto& text = std::get<Symbolic>(*address).text;
      text.insert(text.size() - 1, std::string(", &") + name);
      a.fields.push_back({"", std::move(*address)});
    } else {
      a.fields.push_back({name, std::move(*address)});
    }
  }
  a.fields.push_back({"idiag_if", interface_index(id.idiag_if)});
  a.fields.push_back({"idiag_cookie", cookie(id.idiag_cookie)});
  return a;
}

std::optional<Value> u32_array(std::string_view data, const AttributeContext& context) {
  if (data.size() % sizeof(uint32_t)) return std::nullopt;
  List l;
  for (size_t off = 0; off < data.size(); off += sizeof(uint32_t)) {
    if (context.limit && l.items.size() == context.limit) {
      l.more = true;
      break;
    }
    l.items.emplace_back(UnsignedInt{load<uint32_t>(data, off)});
  }
  return l;
}

// "[[SK_MEMINFO_RMEM_ALLOC]=0, [SK_MEMINFO_RCVBUF]=131072, ...]"
std::optional<Value> socket_memory(std::string_view data, const AttributeContext& context) {
  if (data.size() % sizeof(uint32_t)) return std::nullopt;
  List l;
  for (size_t off = 0, index = 0; off < data.size(); off += sizeof(uint32_t), ++index) {
    if (context.limit && l.items.size() == context.limit) {
      l.more = true;
      break;
    }
    const uint32_t v = load<uint32_t>(data, off);
    const auto name = xlat::name_of(xlat::constants("sk_meminfo"), static_cast<int64_t>(index));
    l.items.emplace_back(Symbolic{v, "[" + (name ? std::string(*name) : std::to_string(index)) + "]=" +
                                         std::to_string(v)});
  }
  return l;
}

constexpr Field kVegasFields[] = {
      ETRACE_NETLINK_FIELD(tcpvegas_info, tcpv_enabled), ETRACE_NETLINK_FIELD(tcpvegas_info, tcpv_rttcnt),
      ETRACE_NETLINK_FIELD(tcpvegas_info, tcpv_rtt),     ETRACE_NETLINK_FIELD(tcpvegas_info, tcpv_minrtt),
};

constexpr Field kBbrFields[] = {
      ETRACE_NETLINK_FIELD(tcp_bbr_info, bbr_bw_lo),       ETRACE_NETLINK_FIELD(tcp_bbr_info, bbr_bw_hi),
      ETRACE_NETLINK_FIELD(tcp_bbr_info, bbr_min_rtt),     ETRACE_NETLINK_FIELD(tcp_bbr_info, bbr_pacing_gain),
      ETRACE_NETLINK_FIELD(tcp_bbr_info, bbr_cwnd_gain),
};

constexpr Field kMeminfoFields[] = {
      ETRACE_NETLINK_FIELD(inet_diag_meminfo, idiag_rmem), ETRACE_NETLINK_FIELD(inet_diag_meminfo, idiag_wmem),
      ETRACE_NETLINK_FIELD(inet_diag_meminfo, idiag_fmem), ETRACE_NETLINK_FIELD(inet_diag_meminfo, idiag_tmem),
};

// The socket's one-bit options, those set.
std::optional<Value> sockopt_bits(std::string_view data, const AttributeContext&) {
  if (data.size() < sizeof(inet_diag_sockopt)) return std::nullopt;
  const auto o = load<inet_diag_sockopt>(data);
#define ETRACE_SOCKOPT_BIT(member) \
  std::pair<const char*, unsigned> { #member, o.member }
  const std::pair<const char*, unsigned> bits[] = {
      ETRACE_SOCKOPT_BIT(recverr),     ETRACE_SOCKOPT_BIT(is_icsk),
      ETRACE_SOCKOPT_BIT(freebind),    ETRACE_SOCKOPT_BIT(hdrincl),
      ETRACE_SOCKOPT_BIT(mc_loop),     ETRACE_SOCKOPT_BIT(transparent),
      ETRACE_SOCKOPT_BIT(mc_all),      ETRACE_SOCKOPT_BIT(nodefrag),
      ETRACE_SOCKOPT_BIT(bind_address_no_port), ETRACE_SOCKOPT_BIT(recverr_rfc4884),
      ETRACE_SOCKOPT_BIT(defer_connect), ETRACE_SOCKOPT_BIT(unused),
  };
#undef ETRACE_SOCKOPT_BIT
  Aggregate a;
  for (auto [name, value] : bits)
    if (value) a.fields.push_back({name, UnsignedInt{value}});
  return a;
}

std::optional<Value> protocol(std::string_view data, const AttributeContext&) {
  if (data.size() != sizeof(uint8_t)) return std::nullopt;
  return named("ipproto", load<uint8_t>(data), "IPPROTO_???");
}

constexpr AttributeKind kReplyKinds[] = {
    {INET_DIAG_MEMINFO, u32_struct<inet_diag_meminfo, kMeminfoFields>}, {INET_DIAG_CONG, string_data},
    {INET_DIAG_TOS, u8_data},                                           {INET_DIAG_TCLASS, u8_data},
    {INET_DIAG_SKMEMINFO, socket_memory},                               {INET_DIAG_SHUTDOWN, u8_data},
    {INET_DIAG_VEGASINFO, u32_struct<tcpvegas_info, kVegasFields>},
    {INET_DIAG_BBRINFO, u32_struct<tcp_bbr_info, kBbrFields>},          {INET_DIAG_PROTOCOL, protocol},
    {INET_DIAG_SKV6ONLY, u8_data},                                      {INET_DIAG_MARK, u32_data},
    {INET_DIAG_CLASS_ID, u32_data},                                     {INET_DIAG_CGROUP_ID, u64_data},
    {INET_DIAG_SOCKOPT, sockopt_bits},
};
constexpr AttributeTable kReplyAttributes{"inet_diag_attr", "INET_DIAG_???", kReplyKinds};
constexpr AttributeTable kRequestAttributes{"inet_diag_req_attr", "INET_DIAG_REQ_???", {}};

void request(std::vector<Value>& out, std::string_view payload, size_t limit) {
  struct_and_attributes<inet_diag_req_v2>(out, payload, "sdiag_family", kRequestAttributes, limit,
                                          [&](const inet_diag_req_v2& r, std::vector<NamedValue>& f) {
    f.push_back({"sdiag_protocol", named("ipproto", r.sdiag_protocol, "IPPROTO_???")});
    f.push_back({"idiag_ext", extensions(r.idiag_ext)});
    f.push_back({"idiag_states", states(r.idiag_states)});
    f.push_back({"id", socket_id(payload.substr(offsetof(inet_diag_req_v2, id)), r.sdiag_family)});
  });
}

void reply(std::vector<Value>& out, std::string_view payload, size_t limit) {
  struct_and_attributes<inet_diag_msg>(out, payload, "idiag_family", kReplyAttributes, limit,
                                       [&](const inet_diag_msg& m, std::vector<NamedValue>& f) {
    f.push_back({"idiag_state", state(m.idiag_state)});
    f.push_back({"idiag_timer", UnsignedInt{m.idiag_timer}});
    f.push_back({"idiag_retrans", UnsignedInt{m.idiag_retrans}});
    f.push_back({"id", socket_id(payload.substr(offsetof(inet_diag_msg, id)), m.idiag_family)});
    f.push_back({"idiag_expires", UnsignedInt{m.idiag_expires}});
    f.push_back({"idiag_rqueue", UnsignedInt{m.idiag_rqueue}});
    f.push_back({"idiag_wqueue", UnsignedInt{m.idiag_wqueue}});
    f.push_back({"idiag_uid", UnsignedInt{m.idiag_uid}});
    f.push_back({"idiag_inode", UnsignedInt{m.idiag_inode}});
  });
}

constexpr Field kUnixQueuesFields[] = {
      ETRACE_NETLINK_FIELD(unix_diag_rqlen, udiag_rqueue),
      ETRACE_NETLINK_FIELD(unix_diag_rqlen, udiag_wqueue),
};

constexpr AttributeKind kUnixKinds[] = {
    {UNIX_DIAG_NAME, string_data},                                     {UNIX_DIAG_PEER, u32_data},
    {UNIX_DIAG_ICONS, u32_array},
    {UNIX_DIAG_RQLEN, u32_struct<unix_diag_rqlen, kUnixQueuesFields>}, {UNIX_DIAG_MEMINFO, socket_memory},
    {UNIX_DIAG_SHUTDOWN, u8_data},                                     {UNIX_DIAG_UID, u32_data},
};
constexpr AttributeTable kUnixAttributes{"unix_diag_attr", "UNIX_DIAG_???", kUnixKinds};

void unix_request(std::vector<Value>& out, std::string_view payload) {
  const auto r = load<unix_diag_req>(payload);
  Aggregate a;
  a.fields.push_back({"sdiag_family", named("af", r.sdiag_family, "AF_???")});
  const bool whole = payload.size() >= sizeof r;
  if (whole) {
    a.fields.push_back({"sdiag_protocol", UnsignedInt{r.sdiag_protocol}});
    a.fields.push_back({"udiag_states", states(r.udiag_states)});
    a.fields.push_back({"udiag_ino", UnsignedInt{r.udiag_ino}});
    a.fields.push_back({"udiag_show", flags("udiag_show", r.udiag_show, "UDIAG_SHOW_???")});
    a.fields.push_back({"udiag_cookie", cookie(r.udiag_cookie)});
  }
  a.elided = !whole;
  out.push_back(std::move(a));
}

void unix_reply(std::vector<Value>& out, std::string_view payload, size_t limit) {
  struct_and_attributes<unix_diag_msg>(out, payload, "udiag_family", kUnixAttributes, limit,
                                       [](const unix_diag_msg& m, std::vector<NamedValue>& f) {
    f.push_back({"udiag_type", named("socktype", m.udiag_type, "SOCK_???")});
    f.push_back({"udiag_state", state(m.udiag_state)});
    f.push_back({"udiag_ino", UnsignedInt{m.udiag_ino}});
    f.push_back({"udiag_cookie", cookie(m.udiag_cookie)});
  });
}

}  // namespace

bool sock_diag_payload(std::vector<Value>& out, uint16_t type, uint16_t flags, std::string_view payload,
                       size_t limit) {
  if (type != SOCK_DIAG_BY_FAMILY || payload.empty()) return false;
  const auto family = load<uint8_t>(payload);
  const bool asked = flags & NLM_F_REQUEST;
  if (family == AF_UNIX) {
    if (asked)
      unix_request(out, payload);
    else
      unix_reply(out, payload, limit);
    return true;
  }
  if (family != AF_INET && family != AF_INET6) return false;
  if (asked)
    request(out, payload, limit);
  else
    reply(out, payload, limit);
  return true;
}

}  // namespace etrace::decode::netlink
