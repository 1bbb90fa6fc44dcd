#include "decode/values/netlink/netlink_kit.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <algorithm>
#include <unordered_map>

#include "decode/values/xlat/constant_table.h"

namespace etrace::decode::netlink {

namespace {

Value bytes_as(std::string_view bytes, Bytes::Style style) {
  Bytes b;
  b.data = std::string(bytes);
  b.full_length = bytes.size();
  b.style = style;
  return b;
}

}  // namespace

Value hex_bytes(std::string_view bytes) { return bytes_as(bytes, Bytes::Style::kHex); }
Value string_bytes(std::string_view bytes) { return bytes_as(bytes, Bytes::Style::kBuffer); }

Value chain(std::string_view bytes, size_t header, uint32_t (*length)(std::string_view), size_t limit, bool cut,
            const std::function<Value(std::string_view)>& element, Value (*rest)(std::string_view)) {
  List list;
  bool several = cut;
  for (size_t shown = 0;; ++shown) {
    if (bytes.size() < header) {
      list.items.push_back(rest(bytes));
      break;
    }
    if (limit && shown == limit) {
      list.more = true;
      break;
    }
    const uint32_t own = length(bytes);
    const size_t aligned = (static_cast<size_t>(own) + 3) & ~size_t{3};
    const size_t left = own >= header && bytes.size() > aligned ? bytes.size() - aligned : 0;
    several = several || left > 0;
    list.items.push_back(element(bytes));
    if (left == 0) break;
    bytes.remove_prefix(aligned);
  }
  list.more = list.more || cut;
  if (!several && list.items.size() == 1) return std::move(list.items.front());
  return list;
}

Value named(std::string_view set, int64_t value, std::string_view unknown) {
  return Symbolic{value, xlat::value_string(xlat::constants(set), value, unknown)};
}

Value flags(std::string_view set, uint64_t value, std::string_view unknown) {
  return Symbolic{static_cast<int64_t>(value), xlat::flags_string(xlat::constants(set), value, unknown)};
}

Value interface_index(uint32_t index) {
  // Asked once per index: each question is a socket and an ioctl.
  static std::unordered_map<uint32_t, std::string> names;
  auto it = names.find(index);
  if (it == names.end()) {
    char name[IF_NAMESIZE];
    it = names.emplace(index, index != 0 && if_indextoname(index, name) ? name : "").first;
  }
  if (it->second.empty()) return UnsignedInt{index};
  return Symbolic{index, "if_nametoindex(\"" + it->second + "\")"};
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
  static_assert(NLA_ALIGNTO == 4);
  return chain(
      bytes, NLA_HDRLEN, [](std::string_view b) -> uint32_t { return load<nlattr>(b).nla_len; }, context.limit, false,
      [&](std::string_view b) { return attribute(b, table, context); }, hex_bytes);
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
