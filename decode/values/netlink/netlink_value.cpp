#include "decode/values/netlink/netlink_value.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <algorithm>
#include <vector>

#include "decode/values/errno_names.h"
#include "decode/values/netlink/netlink_kit.h"
#include "decode/values/netlink/netlink_route.h"
#include "decode/values/netlink/netlink_sock_diag.h"
#include "decode/values/xlat/constant_table.h"

namespace etrace::decode {
namespace {

using netlink::load;

Value message_type(uint16_t type, int protocol) {
  if (type >= NLMSG_MIN_TYPE && protocol == NETLINK_ROUTE) return netlink::named("rtm_type", type, "RTM_???");
  if (type >= NLMSG_MIN_TYPE && protocol == NETLINK_SOCK_DIAG)
    return netlink::named("sock_diag_type", type, "SOCK_DIAG_???");
  return netlink::named("nlmsg_type", type, "NLMSG_???");
}

// The flags every message may carry, then those whose meaning the kind of
// request decides: a GET's NLM_F_DUMP, a NEW's NLM_F_CREATE, an ack's
// NLM_F_CAPPED.
Value message_flags(uint16_t flags, uint16_t type, int protocol) {
  std::string_view kind;
  if (type == NLMSG_ERROR) {
    kind = "nlm_ack_flags";
  } else if (type >= NLMSG_MIN_TYPE && protocol == NETLINK_SOCK_DIAG) {
    kind = "nlm_get_flags";
  } else if (type >= NLMSG_MIN_TYPE && protocol == NETLINK_ROUTE) {
    if (type == RTM_DELACTION) kind = "nlm_get_flags";
    else if ((type & 3) == 0) kind = "nlm_new_flags";
    else if ((type & 3) == 1) kind = "nlm_delete_flags";
    else if ((type & 3) == 2) kind = "nlm_get_flags";
  }
  std::vector<xlat::Constant> table;
  for (std::string_view set : {std::string_view("nlm_flags"), kind})
    if (!set.empty())
      for (const auto& c : xlat::constants(set)) table.push_back(c);
  return Symbolic{flags, xlat::flags_string(table, flags, "NLM_F_???")};
}

Value header(const nlmsghdr& h, int protocol) {
  Aggregate a;
  a.fields.push_back({"nlmsg_len", UnsignedInt{h.nlmsg_len}});
  a.fields.push_back({"nlmsg_type", message_type(h.nlmsg_type, protocol)});
  a.fields.push_back({"nlmsg_flags", message_flags(h.nlmsg_flags, h.nlmsg_type, protocol)});
  a.fields.push_back({"nlmsg_seq", UnsignedInt{h.nlmsg_seq}});
  a.fields.push_back({"nlmsg_pid", SignedInt{static_cast<int32_t>(h.nlmsg_pid)}});
  return a;
}

Value message(std::string_view bytes, int protocol, size_t limit);

constexpr netlink::AttributeKind kErrorKinds[] = {
    {NLMSGERR_ATTR_MSG, netlink::string_data},    {NLMSGERR_ATTR_OFFS, netlink::u32_data},
    {NLMSGERR_ATTR_MISS_TYPE, netlink::u32_data}, {NLMSGERR_ATTR_MISS_NEST, netlink::u32_data},
};
constexpr netlink::AttributeTable kErrorAttributes{"nlmsgerr_attr", "NLMSGERR_ATTR_???", kErrorKinds};

// struct nlmsgerr: the error, the request it answers (its header alone when
// the kernel capped it), then the extended ack's attributes.
Value error_payload(std::string_view payload, bool capped, int protocol, size_t limit) {
  if (payload.size() < sizeof(int32_t)) return netlink::string_bytes(payload);
  const auto error = load<int32_t>(payload);
  Aggregate a;
  std::optional<std::string_view> name = error < 0 ? errno_name(-error) : std::nullopt;
  a.fields.push_back({"error", name ? Value(Symbolic{error, "-" + std::string(*name)}) : Value(SignedInt{error})});
  const std::string_view rest = payload.substr(offsetof(nlmsgerr, msg));
  if (!rest.empty()) {
    if (rest.size() < NLMSG_HDRLEN) {
      a.fields.push_back({"msg", netlink::string_bytes(rest)});
    } else {
      const auto request = load<nlmsghdr>(rest);
      const size_t shown = std::min<size_t>(capped ? NLMSG_HDRLEN : request.nlmsg_len, rest.size());
      a.fields.push_back({"msg", message(rest.substr(0, shown), protocol, limit)});
      if (rest.size() > shown)
        a.fields.push_back({"", netlink::attributes(rest.substr(shown), kErrorAttributes, {0, limit})});
    }
  }
  return a;
}

// One message, `bytes` holding it as far as the buffer goes.
Value message(std::string_view bytes, int protocol, size_t limit) {
  const auto h = load<nlmsghdr>(bytes);
  const size_t length = std::min<size_t>(h.nlmsg_len, bytes.size());
  if (length <= NLMSG_HDRLEN) return header(h, protocol);
  const std::string_view payload = bytes.substr(NLMSG_HDRLEN, length - NLMSG_HDRLEN);
  std::vector<Value> parts;
  parts.push_back(header(h, protocol));
  bool decoded = true;
  if (h.nlmsg_type == NLMSG_ERROR)
    parts.push_back(error_payload(payload, h.nlmsg_flags & NLM_F_CAPPED, protocol, limit));
  else if (h.nlmsg_type == NLMSG_DONE && payload.size() == sizeof(int32_t))
    parts.emplace_back(SignedInt{load<int32_t>(payload)});
  else if (h.nlmsg_type < NLMSG_MIN_TYPE)
    decoded = false;
  else if (protocol == NETLINK_ROUTE)
    decoded = netlink::route_payload(parts, h.nlmsg_type, payload, limit);
  else if (protocol == NETLINK_SOCK_DIAG)
    decoded = netlink::sock_diag_payload(parts, h.nlmsg_type, h.nlmsg_flags, payload, limit);
  else
    decoded = false;
  if (!decoded) parts.push_back(netlink::hex_bytes(payload));
  List l;
  l.items = std::move(parts);
  return l;
}

}  // namespace

std::optional<Value> netlink_value(std::string_view bytes, uint64_t length, int protocol, size_t limit) {
  // Not messages: the kernel's uevents are strings.
  if (protocol == NETLINK_KOBJECT_UEVENT) return std::nullopt;
  static_assert(NLMSG_ALIGNTO == 4);
  return netlink::chain(
      bytes, NLMSG_HDRLEN, [](std::string_view b) { return load<nlmsghdr>(b).nlmsg_len; }, limit, bytes.size() < length,
      [&](std::string_view b) { return message(b, protocol, limit); }, netlink::string_bytes);
}

}  // namespace etrace::decode
