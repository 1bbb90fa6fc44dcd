// NETLINK_ROUTE payloads: link (struct ifinfomsg), address (struct
// ifaddrmsg), route (struct rtmsg), neighbour (struct ndmsg) and rule
// (struct fib_rule_hdr) messages and their attributes.
#include "decode/values/netlink/netlink_route.h"

#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "decode/values/netlink/netlink_kit.h"

namespace etrace::decode::netlink {
namespace {

template <typename Stats, typename Int>
std::optional<Value> stats(std::string_view data) {
  static constexpr Field kFields[] = {
      ETRACE_NETLINK_FIELD(Stats, rx_packets),        ETRACE_NETLINK_FIELD(Stats, tx_packets),
      ETRACE_NETLINK_FIELD(Stats, rx_bytes),          ETRACE_NETLINK_FIELD(Stats, tx_bytes),
      ETRACE_NETLINK_FIELD(Stats, rx_errors),         ETRACE_NETLINK_FIELD(Stats, tx_errors),
      ETRACE_NETLINK_FIELD(Stats, rx_dropped),        ETRACE_NETLINK_FIELD(Stats, tx_dropped),
      ETRACE_NETLINK_FIELD(Stats, multicast),         ETRACE_NETLINK_FIELD(Stats, collisions),
      ETRACE_NETLINK_FIELD(Stats, rx_length_errors),  ETRACE_NETLINK_FIELD(Stats, rx_over_errors),
      ETRACE_NETLINK_FIELD(Stats, rx_crc_errors),     ETRACE_NETLINK_FIELD(Stats, rx_frame_errors),
      ETRACE_NETLINK_FIELD(Stats, rx_fifo_errors),    ETRACE_NETLINK_FIELD(Stats, rx_missed_errors),
      ETRACE_NETLINK_FIELD(Stats, tx_aborted_errors), ETRACE_NETLINK_FIELD(Stats, tx_carrier_errors),
      ETRACE_NETLINK_FIELD(Stats, tx_fifo_errors),    ETRACE_NETLINK_FIELD(Stats, tx_heartbeat_errors),
      ETRACE_NETLINK_FIELD(Stats, tx_window_errors),  ETRACE_NETLINK_FIELD(Stats, rx_compressed),
      ETRACE_NETLINK_FIELD(Stats, tx_compressed),     ETRACE_NETLINK_FIELD(Stats, rx_nohandler),
  };
  // Kernels before rx_nohandler sent one field less.
  return int_struct<Int>(data, kFields, offsetof(Stats, rx_nohandler));
}

std::optional<Value> stats64(std::string_view data, const AttributeContext&) {
  auto v = stats<rtnl_link_stats64, uint64_t>(data);
  // The newest field, past the layout the two structs share.
  constexpr size_t kOtherhost = offsetof(rtnl_link_stats64, rx_otherhost_dropped);
  if (v && data.size() >= kOtherhost + sizeof(uint64_t))
    std::get<Aggregate>(*v).fields.push_back({"rx_otherhost_dropped", UnsignedInt{load<uint64_t>(data, kOtherhost)}});
  return v;
}

std::optional<Value> stats32(std::string_view data, const AttributeContext&) {
  return stats<rtnl_link_stats, uint32_t>(data);
}

std::optional<Value> link_map(std::string_view data, const AttributeContext&) {
  static constexpr Field kFields[] = {
      ETRACE_NETLINK_FIELD(rtnl_link_ifmap, mem_start), ETRACE_NETLINK_FIELD(rtnl_link_ifmap, mem_end),
      ETRACE_NETLINK_FIELD(rtnl_link_ifmap, base_addr),
  };
  if (data.size() < sizeof(rtnl_link_ifmap)) return std::nullopt;
  auto v = int_struct<uint64_t>(data, kFields, sizeof(rtnl_link_ifmap));
  auto& fields = std::get<Aggregate>(*v).fields;
  fields.push_back({"irq", UnsignedInt{load<uint16_t>(data, offsetof(rtnl_link_ifmap, irq))}});
  fields.push_back({"dma", UnsignedInt{load<uint8_t>(data, offsetof(rtnl_link_ifmap, dma))}});
  fields.push_back({"port", UnsignedInt{load<uint8_t>(data, offsetof(rtnl_link_ifmap, port))}});
  return v;
}

std::optional<Value> ext_mask(std::string_view data, const AttributeContext&) {
  if (data.size() != sizeof(uint32_t)) return std::nullopt;
  return flags("rtext_filter", load<uint32_t>(data), "RTEXT_FILTER_???");
}

constexpr AttributeKind kLinkKinds[] = {
    {IFLA_ADDRESS, hardware_data},           {IFLA_BROADCAST, hardware_data},         {IFLA_IFNAME, string_data},
    {IFLA_MTU, u32_data},                    {IFLA_LINK, u32_data},                   {IFLA_QDISC, string_data},
    {IFLA_STATS, stats32},                   {IFLA_COST, u32_data},                   {IFLA_PRIORITY, u32_data},
    {IFLA_MASTER, u32_data},                 {IFLA_TXQLEN, u32_data},                 {IFLA_MAP, link_map},
    {IFLA_WEIGHT, u32_data},                 {IFLA_OPERSTATE, u8_data},               {IFLA_LINKMODE, u8_data},
    {IFLA_NET_NS_PID, u32_data},             {IFLA_IFALIAS, string_data},             {IFLA_NUM_VF, u32_data},
    {IFLA_STATS64, stats64},                 {IFLA_GROUP, u32_data},                  {IFLA_NET_NS_FD, u32_data},
    {IFLA_EXT_MASK, ext_mask},               {IFLA_PROMISCUITY, u32_data},            {IFLA_NUM_TX_QUEUES, u32_data},
    {IFLA_NUM_RX_QUEUES, u32_data},          {IFLA_CARRIER, u8_data},                 {IFLA_CARRIER_CHANGES, u32_data},
    {IFLA_LINK_NETNSID, s32_data},           {IFLA_PHYS_PORT_NAME, string_data},      {IFLA_PROTO_DOWN, u8_data},
    {IFLA_GSO_MAX_SEGS, u32_data},           {IFLA_GSO_MAX_SIZE, u32_data},           {IFLA_NEW_NETNSID, s32_data},
    {IFLA_IF_NETNSID, s32_data},             {IFLA_CARRIER_UP_COUNT, u32_data},
    {IFLA_CARRIER_DOWN_COUNT, u32_data},     {IFLA_NEW_IFINDEX, s32_data},            {IFLA_MIN_MTU, u32_data},
    {IFLA_MAX_MTU, u32_data},                {IFLA_ALT_IFNAME, string_data},
    {IFLA_PERM_ADDRESS, hardware_data},      {IFLA_PARENT_DEV_NAME, string_data},
    {IFLA_PARENT_DEV_BUS_NAME, string_data}, {IFLA_GRO_MAX_SIZE, u32_data},           {IFLA_TSO_MAX_SIZE, u32_data},
    {IFLA_TSO_MAX_SEGS, u32_data},           {IFLA_ALLMULTI, u32_data},
};
constexpr AttributeTable kLinkAttributes{"ifla", "IFLA_???", kLinkKinds};

std::optional<Value> address_flags(std::string_view data, const AttributeContext&) {
  if (data.size() != sizeof(uint32_t)) return std::nullopt;
  return flags("ifa_flags", load<uint32_t>(data), "IFA_F_???");
}

constexpr Field kAddressCacheinfoFields[] = {
      ETRACE_NETLINK_FIELD(ifa_cacheinfo, ifa_prefered), ETRACE_NETLINK_FIELD(ifa_cacheinfo, ifa_valid),
      ETRACE_NETLINK_FIELD(ifa_cacheinfo, cstamp),       ETRACE_NETLINK_FIELD(ifa_cacheinfo, tstamp),
};

constexpr AttributeKind kAddressKinds[] = {
    {IFA_ADDRESS, address_data},                                         {IFA_LOCAL, address_data},
    {IFA_LABEL, string_data},                                            {IFA_BROADCAST, address_data},
    {IFA_ANYCAST, address_data},
    {IFA_CACHEINFO, u32_struct<ifa_cacheinfo, kAddressCacheinfoFields>}, {IFA_MULTICAST, address_data},
    {IFA_FLAGS, address_flags},                                          {IFA_RT_PRIORITY, u32_data},
    {IFA_TARGET_NETNSID, s32_data},
};
constexpr AttributeTable kAddressAttributes{"ifa", "IFA_???", kAddressKinds};

std::optional<Value> route_table(std::string_view data, const AttributeContext&) {
  if (data.size() != sizeof(uint32_t)) return std::nullopt;
  return named("rt_table", load<uint32_t>(data), "RT_TABLE_???");
}

constexpr Field kRouteCacheinfoFields[] = {
      ETRACE_NETLINK_FIELD(rta_cacheinfo, rta_clntref), ETRACE_NETLINK_FIELD(rta_cacheinfo, rta_lastuse),
      ETRACE_NETLINK_FIELD(rta_cacheinfo, rta_expires), ETRACE_NETLINK_FIELD(rta_cacheinfo, rta_error),
      ETRACE_NETLINK_FIELD(rta_cacheinfo, rta_used),    ETRACE_NETLINK_FIELD(rta_cacheinfo, rta_id),
      ETRACE_NETLINK_FIELD(rta_cacheinfo, rta_ts),      ETRACE_NETLINK_FIELD(rta_cacheinfo, rta_tsage),
};

constexpr AttributeKind kRouteKinds[] = {
    {RTA_DST, address_data},                                           {RTA_SRC, address_data},
    {RTA_IIF, interface_data},                                         {RTA_OIF, interface_data},
    {RTA_GATEWAY, address_data},                                       {RTA_PRIORITY, u32_data},
    {RTA_PREFSRC, address_data},                                       {RTA_FLOW, u32_data},
    {RTA_TABLE, route_table},                                          {RTA_MARK, u32_data},
    {RTA_PREF, u8_data},                                               {RTA_EXPIRES, u64_data},
    {RTA_UID, u32_data},                                               {RTA_TTL_PROPAGATE, u8_data},
    {RTA_NH_ID, u32_data},
    {RTA_CACHEINFO, u32_struct<rta_cacheinfo, kRouteCacheinfoFields>},
};
constexpr AttributeTable kRouteAttributes{"rta", "RTA_???", kRouteKinds};

constexpr Field kNeighbourCacheinfoFields[] = {
      ETRACE_NETLINK_FIELD(nda_cacheinfo, ndm_confirmed), ETRACE_NETLINK_FIELD(nda_cacheinfo, ndm_used),
      ETRACE_NETLINK_FIELD(nda_cacheinfo, ndm_updated),   ETRACE_NETLINK_FIELD(nda_cacheinfo, ndm_refcnt),
};

constexpr AttributeKind kNeighbourKinds[] = {
    {NDA_DST, address_data},                                               {NDA_LLADDR, hardware_data},
    {NDA_CACHEINFO, u32_struct<nda_cacheinfo, kNeighbourCacheinfoFields>}, {NDA_PROBES, u32_data},
    {NDA_VLAN, u16_data},                                                  {NDA_VNI, u32_data},
    {NDA_IFINDEX, interface_data},                                         {NDA_MASTER, interface_data},
    {NDA_LINK_NETNSID, s32_data},                                          {NDA_SRC_VNI, u32_data},
    {NDA_NH_ID, u32_data},
};
constexpr AttributeTable kNeighbourAttributes{"nda", "NDA_???", kNeighbourKinds};

std::optional<Value> rule_protocol(std::string_view data, const AttributeContext&) {
  if (data.size() != sizeof(uint8_t)) return std::nullopt;
  return named("rtprot", load<uint8_t>(data), "RTPROT_???");
}

constexpr AttributeKind kRuleKinds[] = {
    {FRA_DST, address_data},            {FRA_SRC, address_data},            {FRA_IIFNAME, string_data},
    {FRA_GOTO, u32_data},               {FRA_PRIORITY, u32_data},           {FRA_FWMARK, u32_data},
    {FRA_FLOW, u32_data},               {FRA_SUPPRESS_IFGROUP, u32_data},   {FRA_SUPPRESS_PREFIXLEN, u32_data},
    {FRA_TABLE, route_table},           {FRA_FWMASK, u32_data},             {FRA_OIFNAME, string_data},
    {FRA_L3MDEV, u8_data},              {FRA_PROTOCOL, rule_protocol},      {FRA_TUN_ID, u64_data},
};
constexpr AttributeTable kRuleAttributes{"fra", "FRA_???", kRuleKinds};

void link_message(std::vector<Value>& out, std::string_view payload, size_t limit) {
  struct_and_attributes<ifinfomsg>(out, payload, "ifi_family", kLinkAttributes, limit,
                                   [](const ifinfomsg& m, std::vector<NamedValue>& f) {
    f.push_back({"ifi_type", named("arphrd", m.ifi_type, "ARPHRD_???")});
    f.push_back({"ifi_index", interface_index(static_cast<uint32_t>(m.ifi_index))});
    f.push_back({"ifi_flags", flags("iff", m.ifi_flags, "IFF_???")});
    f.push_back({"ifi_change", RawHex{m.ifi_change}});
  });
}

void address_message(std::vector<Value>& out, std::string_view payload, size_t limit) {
  struct_and_attributes<ifaddrmsg>(out, payload, "ifa_family", kAddressAttributes, limit,
                                   [](const ifaddrmsg& m, std::vector<NamedValue>& f) {
    f.push_back({"ifa_prefixlen", UnsignedInt{m.ifa_prefixlen}});
    f.push_back({"ifa_flags", flags("ifa_flags", m.ifa_flags, "IFA_F_???")});
    f.push_back({"ifa_scope", named("rt_scope", m.ifa_scope, "RT_SCOPE_???")});
    f.push_back({"ifa_index", interface_index(m.ifa_index)});
  });
}

void route_message(std::vector<Value>& out, std::string_view payload, size_t limit) {
  struct_and_attributes<rtmsg>(out, payload, "rtm_family", kRouteAttributes, limit,
                               [](const rtmsg& m, std::vector<NamedValue>& f) {
    f.push_back({"rtm_dst_len", UnsignedInt{m.rtm_dst_len}});
    f.push_back({"rtm_src_len", UnsignedInt{m.rtm_src_len}});
    f.push_back({"rtm_tos", UnsignedInt{m.rtm_tos}});
    f.push_back({"rtm_table", named("rt_table", m.rtm_table, "RT_TABLE_???")});
    f.push_back({"rtm_protocol", named("rtprot", m.rtm_protocol, "RTPROT_???")});
    f.push_back({"rtm_scope", named("rt_scope", m.rtm_scope, "RT_SCOPE_???")});
    f.push_back({"rtm_type", named("rtn", m.rtm_type, "RTN_???")});
    f.push_back({"rtm_flags", flags("rtm_flags", m.rtm_flags, "RTM_F_???")});
  });
}

void neighbour_message(std::vector<Value>& out, std::string_view payload, size_t limit) {
  struct_and_attributes<ndmsg>(out, payload, "ndm_family", kNeighbourAttributes, limit,
                               [](const ndmsg& m, std::vector<NamedValue>& f) {
    f.push_back({"ndm_ifindex", interface_index(static_cast<uint32_t>(m.ndm_ifindex))});
    f.push_back({"ndm_state", flags("nud_state", m.ndm_state, "NUD_???")});
    f.push_back({"ndm_flags", flags("ntf", m.ndm_flags, "NTF_???")});
    f.push_back({"ndm_type", named("rtn", m.ndm_type, "RTN_???")});
  });
}

void rule_message(std::vector<Value>& out, std::string_view payload, size_t limit) {
  struct_and_attributes<fib_rule_hdr>(out, payload, "family", kRuleAttributes, limit,
                                      [](const fib_rule_hdr& m, std::vector<NamedValue>& f) {
    f.push_back({"dst_len", UnsignedInt{m.dst_len}});
    f.push_back({"src_len", UnsignedInt{m.src_len}});
    f.push_back({"tos", UnsignedInt{m.tos}});
    f.push_back({"table", named("rt_table", m.table, "RT_TABLE_???")});
    f.push_back({"action", named("fr_act", m.action, "FR_ACT_???")});
    f.push_back({"flags", flags("fib_rule_flags", m.flags, "FIB_RULE_???")});
  });
}

}  // namespace

bool route_payload(std::vector<Value>& out, uint16_t type, std::string_view payload, size_t limit) {
  if (payload.empty()) return false;
  switch (type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
    case RTM_GETLINK:
    case RTM_SETLINK: link_message(out, payload, limit); return true;
    case RTM_NEWADDR:
    case RTM_DELADDR:
    case RTM_GETADDR:
    case RTM_GETMULTICAST:
    case RTM_GETANYCAST: address_message(out, payload, limit); return true;
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
    case RTM_GETROUTE: route_message(out, payload, limit); return true;
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH:
    case RTM_GETNEIGH: neighbour_message(out, payload, limit); return true;
    case RTM_NEWRULE:
    case RTM_DELRULE:
    case RTM_GETRULE: rule_message(out, payload, limit); return true;
    default: return false;
  }
}

}  // namespace etrace::decode::netlink
