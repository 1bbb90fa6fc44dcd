#include "decode/arguments/dependent_arguments.h"

#include <sys/socket.h>

#include "decode/arguments/fcntl_arguments.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode {
namespace {

// strace names the protocol of IP, netlink and packet sockets (IPPROTO_IP
// for 0); for other families it is a number ("socket(AF_UNIX, SOCK_STREAM, 0)").
Value socket_protocol(uint64_t family, uint64_t protocol) {
  const auto p = static_cast<int64_t>(static_cast<int32_t>(protocol));
  if (family == AF_INET || family == AF_INET6 || family == AF_NETLINK || family == AF_PACKET)
    return Symbolic{p, xlat::socket_protocol_text(static_cast<int64_t>(family), p)};
  return SignedInt{p};
}

}  // namespace

Value fcntl_third_argument(const Registers& regs) { return fcntl_argument(regs[1], regs[2]); }

Value socket_protocol_argument(const Registers& regs) { return socket_protocol(regs[0], regs[2]); }

Value sockopt_name_argument(const Registers& regs) {
  const auto level = static_cast<int32_t>(regs[1]);
  const auto name = static_cast<int64_t>(static_cast<int32_t>(regs[2]));
  return Symbolic{name, xlat::sockopt_text(level, name)};
}

}  // namespace etrace::decode
