// Sockets: families, types, protocols, levels and options, message flags.
#include <netinet/in.h>
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
  switch (level) {
    case SOL_SOCKET:
      return value_string(constants("sockopt"), optname, "SO_???");
    case IPPROTO_IP:
      return value_string(constants("sockopt_ip"), optname, "IP_???");
    case IPPROTO_IPV6:
      return value_string(constants("sockopt_ipv6"), optname, "IPV6_???");
    case IPPROTO_TCP:
      return value_string(constants("sockopt_tcp"), optname, "TCP_???");
    default:
      // strace shows options of levels it does not know in decimal.
      return std::to_string(optname);
  }
}

}  // namespace etrace::decode::xlat
