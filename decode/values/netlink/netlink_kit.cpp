#include "decode/values/netlink/netlink_kit.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <algorithm>

#include "decode/values/xlat/constant_table.h"

namespace etrace::decode::netlink {

Value hex_bytes(std::string_view bytes) {
  Bytes b;
  b.data = std::string(bytes);
  b.full_length = bytes.size();
  b.style = Bytes::Style::kHex;
  return b;
}

Value string_bytes(std::string_view bytes) {
  Bytes b;
  b.data = std::string(bytes);
  b.full_length = bytes.size();
  b.style = Bytes::Style::kBuffer;
  return b;
}

Value named(std::string_view set, int64_t value, std::string_view unknown) {
  return Symbolic{value, xlat::value_string(xlat::constants(set), value, unknown)};
}

Value flags(std::string_view set, uint64_t value, std::string_view unknown) {
  return Symbolic{static_cast<int64_t>(value), xlat::flags_string(xlat::constants(set), value, unknown)};
}

Value interface_index(uint32_t index) {
  char name[IF_NAMESIZE];
  if (index != 0 && if_indextoname(index, name))
    return Symbolic{index, "if_nametoindex(\"" + std::string(name) + "\")"};
  return UnsignedInt{index};
}

std::optional<Value> inet_address(int family, std::string_view bytes) {
  char text[INET6_ADDRSTRLEN];
  if (family == AF_INET && bytes.size() >= sizeof(in_addr) && inet_ntop(AF_INET, bytes.data(), text, sizeof text))
    return Symbolic{0, "inet_addr(\"" + std::string(text) + "\")"};
  if (family == AF_INET6 && bytes.size() >= sizeof(in6_addr) && inet_ntop(AF_INET6, bytes.data(), text, sizeof text))
    return Symbolic{0, "inet_pton(AF_INET6, \"" + std::string(text) + "\")"};
  return std::nullopt;
}

Value hardware_address(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (char c : bytes) {
    if (!text.empty()) text += ':';
    text += kHex[static_cast<uint8_t>(c) >> 4];
    text += kHex[static_cast<uint8_t>(c) & 0xf];
  }
  return Symbolic{0, text};
}

Value port(std::string_view bytes) {
  const uint16_t p = ntohs(load<uint16_t>(bytes));
  return Symbolic{p, "htons(" + std::to_string(p) + ")"};
}

namespace {

Value attribute_type(uint16_t type, const AttributeTable& table) {
  std::string text;
  if (type & NLA_F_NESTED) text += "NLA_F_NESTED|";
  if (type & NLA_F_NET_BYTEORDER) text += "NLA_F_NET_BYTEORDER|";
  const uint16_t bare = type & NLA_TYPE_MASK;
  text += xlat::value_string(xlat::constants(table.names), bare, table.unknown);
  return Symbolic{type, text};
}

// One attribute, `bytes` holding it (header and data) as far as it goes.
Value attribute(std::string_view bytes, const AttributeTable& table, const AttributeContext& context) {
  const auto nla = load<nlattr>(bytes);
  Aggregate header;
  header.fields.push_back({"nla_len", UnsignedInt{nla.nla_len}});
  header.fields.push_back({"nla_type", attribute_type(nla.nla_type, table)});
  const size_t length = std::min<size_t>(nla.nla_len, bytes.size());
  if (length <= NLA_HDRLEN) return header;
  const std::string_view data = bytes.substr(NLA_HDRLEN, length - NLA_HDRLEN);
  std::optional<Value> decoded;
  for (const AttributeKind& kind : table.kinds)
    if (kind.type == (nla.nla_type & NLA_TYPE_MASK)) decoded = kind.decode(data, context);
  List l;
  l.items.push_back(std::move(header));
  l.items.push_back(decoded ? std::move(*decoded) : hex_bytes(data));
  return l;
}

}  // namespace

Value attributes(std::string_view bytes, const AttributeTable& table, const AttributeContext& context) {
  List list;
  bool several = false;
  for (size_t shown = 0;; ++shown) {
    // Too short for a header: the rest as bytes.
    if (bytes.size() < NLA_HDRLEN) {
      list.items.push_back(hex_bytes(bytes));
      break;
    }
    if (context.limit && shown == context.limit) {
      list.more = true;
      break;
    }
    const auto nla = load<nlattr>(bytes);
    const size_t aligned = NLA_ALIGN(nla.nla_len);
    const size_t rest = nla.nla_len >= NLA_HDRLEN && bytes.size() > aligned ? bytes.size() - aligned : 0;
    several = several || rest > 0;
    list.items.push_back(attribute(bytes, table, context));
    if (rest == 0) break;
    bytes.remove_prefix(aligned);
  }
  if (!several && list.items.size() == 1) return std::move(list.items.front());
  return list;
}

namespace {

template <typename Int>
std::optional<Value> exact_unsigned(std::string_view data) {
  if (data.size() != sizeof(Int)) return std::nullopt;
  return UnsignedInt{load<Int>(data)};
}

}  // namespace

std::optional<Value> u8_data(std::string_view data, const AttributeContext&) { return exact_unsigned<uint8_t>(data); }
std::optional<Value> u16_data(std::string_view data, const AttributeContext&) { return exact_unsigned<uint16_t>(data); }
std::optional<Value> u32_data(std::string_view data, const AttributeContext&) { return exact_unsigned<uint32_t>(data); }
std::optional<Value> u64_data(std::string_view data, const AttributeContext&) { return exact_unsigned<uint64_t>(data); }

std::optional<Value> s32_data(std::string_view data, const AttributeContext&) {
  if (data.size() != sizeof(int32_t)) return std::nullopt;
  return SignedInt{load<int32_t>(data)};
}

std::optional<Value> string_data(std::string_view data, const AttributeContext&) {
  Bytes b;
  b.data = std::string(data.substr(0, data.find('\0')));
  b.full_length = b.data.size();
  b.style = Bytes::Style::kString;
  return b;
}

std::optional<Value> interface_data(std::string_view data, const AttributeContext&) {
  if (data.size() != sizeof(uint32_t)) return std::nullopt;
  return interface_index(load<uint32_t>(data));
}

std::optional<Value> address_data(std::string_view data, const AttributeContext& context) {
  return inet_address(context.family, data);
}

std::optional<Value> hardware_data(std::string_view data, const AttributeContext&) { return hardware_address(data); }

}  // namespace etrace::decode::netlink
