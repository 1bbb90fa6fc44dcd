// What the netlink decoders share: reading the little-endian fields of a
// payload, values in strace's notation for them (hex bytes, addresses,
// interface indexes, hardware addresses, structs of plain integers), and
// the walk of an attribute chain (struct nlattr) with a decoder per type.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

// A chain of elements that each start with their length and are padded to
// 4 bytes (netlink messages, attributes), walked as strace walks it: one
// element alone is shown as itself, several as a list of at most `limit`
// (0: all) and "..."; bytes too short for a `header` end it as `rest`.
// `cut`: the capture copied less than there was (then "..." too).
Value chain(std::string_view bytes, size_t header, uint32_t (*length)(std::string_view), size_t limit, bool cut,
            const std::function<Value(std::string_view)>& element, Value (*rest)(std::string_view));
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

struct AttributeContext;

// An attribute decoder for a struct of 32-bit fields, named by `kFields`.
template <typename Struct, const auto& kFields>
std::optional<Value> u32_struct(std::string_view data, const AttributeContext&) {
  return int_struct<uint32_t>(data, kFields, sizeof(Struct));
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

// A payload that is a struct starting with its address family, then
// attributes: "{ifa_family=AF_INET, ...}, [attributes]". `fields` appends
// the struct's other fields when the payload holds it whole; a shorter one
// shows its family and "...".
template <typename Header, typename Fields>
void struct_and_attributes(std::vector<Value>& out, std::string_view payload, const char* family_field,
                           const AttributeTable& table, size_t limit, Fields fields) {
  const auto family = load<uint8_t>(payload);
  Aggregate a;
  a.fields.push_back({family_field, named("af", family, "AF_???")});
  const bool whole = payload.size() >= sizeof(Header);
  if (whole) fields(load<Header>(payload), a.fields);
  a.elided = !whole;
  out.push_back(std::move(a));
  const size_t offset = (sizeof(Header) + 3) & ~size_t{3};
  if (whole && payload.size() > offset)
    out.push_back(attributes(payload.substr(offset), table, AttributeContext{family, limit}));
}

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
