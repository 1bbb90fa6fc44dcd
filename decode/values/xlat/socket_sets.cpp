// Sockets: families, types, protocols, levels and options, message flags.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/custom_sets.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode::xlat {

// socket(2)'s type is a value in the low bits (SOCK_STREAM) followed by
// flags (SOCK_CLOEXEC); a type without a name leaves everything to the flags.
std::string socktype_text(int64_t value) {
  constexpr uint64_t kTypeMask = 0xf;
  auto bits = static_cast<uint64_t>(value);
  std::string out;
  if (auto type = name_of(constants("socktype"), static_cast<int64_t>(bits & kTypeMask))) {
    out = std::string(*type);
    bits &= ~kTypeMask;
    if (bits == 0) return out;
    out += '|';
  }
  return out + flags_string(constants("sock"), bits, "SOCK_???");
}

std::string sockopt_text(int level, int64_t optname) {
  struct Level {
    int level;
    std::string_view set;
    std::string_view unknown;
  };
  static constexpr Level kLevels[] = {
      {SOL_SOCKET, "sockopt", "SO_???"},          {SOL_IP, "sockopt_ip", "IP_???"},
      {SOL_IPV6, "sockopt_ipv6", "IPV6_???"},     {SOL_TCP, "sockopt_tcp", "TCP_???"},
      {SOL_UDP, "sockopt_udp", "UDP_???"},        {SOL_NETLINK, "sockopt_netlink", "NETLINK_???"},
      {SOL_PACKET, "sockopt_packet", "PACKET_???"},
  };
  for (const Level& l : kLevels)
    if (l.level == level) return value_string(constants(l.set), optname, l.unknown);
  // strace shows options of levels it does not know in decimal.
  return std::to_string(optname);
}

std::string socket_protocol_text(int64_t family, int64_t protocol) {
  switch (family) {
    case AF_INET:
    case AF_INET6: return value_string(constants("ipproto"), protocol, "IPPROTO_???");
    case AF_NETLINK: return value_string(constants("netlink_protocol"), protocol, "NETLINK_???");
    case AF_PACKET: {
      // The protocol is an Ethernet type in network byte order.
      const auto host = ntohs(static_cast<uint16_t>(protocol));
      if (auto name = name_of(constants("ethernet_protocol"), host); name && (protocol & ~0xffff) == 0)
        return "htons(" + std::string(*name) + ")";
      return std::to_string(protocol);
    }
    default: return std::to_string(protocol);
  }
}

}  // namespace etrace::decode::xlat
