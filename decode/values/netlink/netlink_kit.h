// What the netlink decoders share: reading the little-endian fields of a
// payload, values in strace's notation for them (hex bytes, addresses,
// interface indexes, hardware addresses, structs of plain integers), and
// the walk of an attribute chain (struct nlattr) with a decoder per type.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "decode/values/value.h"

namespace etrace::decode::netlink {

template <typename T>
T load(std::string_view bytes, size_t offset = 0) {
  T v{};
  if (offset + sizeof(T) <= bytes.size()) std::memcpy(&v, bytes.data() + offset, sizeof(T));
  return v;
}

// Bytes strace shows in hex whatever -x says ("\x01\x00").
Value hex_bytes(std::string_view bytes);
// Bytes shown as a string would be (cut at -s).
Value string_bytes(std::string_view bytes);
// A symbolic value from a generated table, or strace's "0x43 /* IFLA_??? */".
Value named(std::string_view set, int64_t value, std::string_view unknown);
// Flags from a generated table, "IFF_UP|IFF_LOOPBACK".
Value flags(std::string_view set, uint64_t value, std::string_view unknown);
// An interface index as strace writes it: if_nametoindex("lo") when this
// machine has an interface of that index (strace asks its own network
// namespace too), else the number.
Value interface_index(uint32_t index);
// inet_addr("127.0.0.1"), inet_pton(AF_INET6, "::1"); nothing when the
// family is another or the bytes too short.
std::optional<Value> inet_address(int family, std::string_view bytes);
// "00:1a:2b:3c:4d:5e".
Value hardware_address(std::string_view bytes);
// htons(80).
Value port(std::string_view bytes);

// A struct of unsigned integers of one size, as "{name=N, ...}": the fields
// that the bytes hold whole.
struct Field {
  const char* name;
  size_t offset;
};
#define ETRACE_NETLINK_FIELD(type, member) \
  ::etrace::decode::netlink::Field { #member, offsetof(type, member) }
template <typename Int>
std::optional<Value> int_struct(std::string_view bytes, std::span<const Field> fields, size_t minimum) {
  if (bytes.size() < minimum) return std::nullopt;
  Aggregate a;
  for (const Field& f : fields) {
    if (f.offset + sizeof(Int) > bytes.size()) break;
    a.fields.push_back({f.name, UnsignedInt{static_cast<uint64_t>(load<Int>(bytes, f.offset))}});
  }
  return a;
}

// How an attribute's data is shown; nothing leaves it in hex. `family` is
// the message's address family (addresses are read by it).
struct AttributeContext {
  int family = 0;
  size_t limit = 0;
};
using AttributeDecoder = std::optional<Value> (*)(std::string_view data, const AttributeContext& context);
struct AttributeKind {
  uint16_t type;
  AttributeDecoder decode;
};
struct AttributeTable {
  std::string_view names;    // a generated set: "ifla"
  std::string_view unknown;  // "IFLA_???"
  std::span<const AttributeKind> kinds;
};

// The chain in `bytes`: one attribute as "[{nla_len=8, nla_type=IFLA_MTU},
// 1500]", several as a list of those (at most context.limit, then "...").
Value attributes(std::string_view bytes, const AttributeTable& table, const AttributeContext& context);

// Decoders of plain attribute data, each only for data of its exact size.
std::optional<Value> u8_data(std::string_view data, const AttributeContext&);
std::optional<Value> u16_data(std::string_view data, const AttributeContext&);
std::optional<Value> u32_data(std::string_view data, const AttributeContext&);
std::optional<Value> u64_data(std::string_view data, const AttributeContext&);
std::optional<Value> s32_data(std::string_view data, const AttributeContext&);
// A NUL-terminated string: "lo".
std::optional<Value> string_data(std::string_view data, const AttributeContext&);
std::optional<Value> interface_data(std::string_view data, const AttributeContext&);
std::optional<Value> address_data(std::string_view data, const AttributeContext& context);
std::optional<Value> hardware_data(std::string_view data, const AttributeContext&);

}  // namespace etrace::decode::netlink
