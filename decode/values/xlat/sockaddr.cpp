#include "decode/values/xlat/sockaddr.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstring>

#include "decode/values/string_quote.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode::xlat {
namespace {

// Fields are read at their offsets in the kernel's structures rather than by
// casting: the bytes are unaligned and may be short.
uint32_t read_u16_host(std::string_view b, size_t at) {
  uint16_t v;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}
uint32_t read_u32_host(std::string_view b, size_t at) {
  uint32_t v;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}
uint32_t read_u16_net(std::string_view b, size_t at) { return ntohs(static_cast<uint16_t>(read_u16_host(b, at))); }
uint32_t read_u32_net(std::string_view b, size_t at) { return ntohl(read_u32_host(b, at)); }

NamedValue symbolic(std::string name, int64_t raw, std::string text) {
  return {std::move(name), Symbolic{raw, std::move(text)}};
}

NamedValue port_field(const char* name, std::string_view b, size_t at) {
  const uint32_t port = read_u16_net(b, at);
  return symbolic(name, port, "htons(" + std::to_string(port) + ")");
}

std::string address_text(int family, const char* raw) {
  char text[INET6_ADDRSTRLEN];
  return inet_ntop(family, raw, text, sizeof text) ? text : "?";
}

void add_inet(std::vector<NamedValue>& fields, std::string_view b) {
  fields.push_back(port_field("sin_port", b, offsetof(sockaddr_in, sin_port)));
  const auto at = offsetof(sockaddr_in, sin_addr);
  fields.push_back(symbolic("sin_addr", read_u32_net(b, at),
                            "inet_addr(\"" + address_text(AF_INET, b.data() + at) + "\")"));
}

// The minimum length the kernel accepts for AF_INET6: without sin6_scope_id.
constexpr size_t kSockaddrIn6MinLength = offsetof(sockaddr_in6, sin6_scope_id);

void add_inet6(std::vector<NamedValue>& fields, std::string_view b) {
  fields.push_back(port_field("sin6_port", b, offsetof(sockaddr_in6, sin6_port)));
  const uint32_t flowinfo = read_u32_net(b, offsetof(sockaddr_in6, sin6_flowinfo));
  fields.push_back(symbolic("sin6_flowinfo", flowinfo, "htonl(" + std::to_string(flowinfo) + ")"));
  // strace's spelling of the address is a call, not "name=value": the field
  // has no name. Its raw value would not fit: the text carries it.
  const auto at = offsetof(sockaddr_in6, sin6_addr);
  fields.push_back(symbolic("", 0, "inet_pton(AF_INET6, \"" + address_text(AF_INET6, b.data() + at) + "\", &sin6_addr)"));
  if (b.size() >= sizeof(sockaddr_in6))
    fields.push_back({"sin6_scope_id", UnsignedInt{read_u32_host(b, offsetof(sockaddr_in6, sin6_scope_id))}});
}

// A path up to its NUL; an abstract name (a leading NUL) is all the bytes
// the length covers, shown after '@'.
void add_unix(std::vector<NamedValue>& fields, std::string_view b) {
  std::string_view path = b.substr(sizeof(sa_family_t));
  if (!path.empty() && path.front() == '\0') {
    std::string text = "@";
    append_quoted(text, path.substr(1), HexStyle::kNone);
    fields.push_back(symbolic("sun_path", 0, std::move(text)));
    return;
  }
  path = path.substr(0, path.find('\0'));
  fields.push_back({"sun_path", Bytes{std::string(path), path.size(), false, Bytes::Style::kPath}});
}

void add_netlink(std::vector<NamedValue>& fields, std::string_view b) {
  // A port id the kernel picked for a second socket of a process is negative.
  fields.push_back({"nl_pid", SignedInt{static_cast<int32_t>(read_u32_host(b, offsetof(sockaddr_nl, nl_pid)))}});
  const uint32_t groups = read_u32_host(b, offsetof(sockaddr_nl, nl_groups));
  char text[16];
  std::snprintf(text, sizeof text, "%#08x", groups);  // strace's spelling: 0x000011, 00000000
  fields.push_back(symbolic("nl_groups", groups, text));
}

void add_sa_data(std::vector<NamedValue>& fields, std::string_view b) {
  const std::string_view data = b.substr(sizeof(sa_family_t));
  // Shown whole, however long, as strace does.
  fields.push_back({"sa_data", Bytes{std::string(data), data.size(), false, Bytes::Style::kPath}});
}

}  // namespace

Value sockaddr_value(std::string_view b) {
  if (b.size() < sizeof(sa_family_t)) return Bytes{std::string(b), b.size(), false, Bytes::Style::kBuffer};
  const int family = static_cast<int>(read_u16_host(b, 0));
  Aggregate out;
  out.fields.push_back(symbolic("sa_family", family, enum_text("af", family)));
  if (b.size() == sizeof(sa_family_t)) return out;
  if (family == AF_INET && b.size() >= sizeof(sockaddr_in))
    add_inet(out.fields, b);
  else if (family == AF_INET6 && b.size() >= kSockaddrIn6MinLength)
    add_inet6(out.fields, b);
  else if (family == AF_UNIX)
    add_unix(out.fields, b);
  else if (family == AF_NETLINK && b.size() >= sizeof(sockaddr_nl))
    add_netlink(out.fields, b);
  else
    add_sa_data(out.fields, b);
  return out;
}

}  // namespace etrace::decode::xlat
