// Netlink messages as strace shows them: the nlmsghdr chain of a buffer
// sent or received on an AF_NETLINK socket, each header with its type and
// flags named for the socket's protocol, and its payload decoded where
// strace decodes it (NETLINK_ROUTE's link, address and route messages,
// NETLINK_SOCK_DIAG's inet_diag requests and replies, NLMSG_ERROR, and the
// attribute chains behind them); other payloads in hex, as strace shows
// them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "decode/values/value.h"

namespace etrace::decode {

// `bytes`: what the capture holds of the buffer; `length`: how long the
// data really was (the call's length or result), the capture's copy
// possibly shorter. `protocol`: the socket's, NETLINK_ROUTE... `limit`:
// strace's -s, which caps the messages and the attributes of each list
// shown (0: no cap, as with -v). Nothing for a protocol whose data is not
// made of netlink messages (NETLINK_KOBJECT_UEVENT's).
std::optional<Value> netlink_value(std::string_view bytes, uint64_t length, int protocol, size_t limit);

}  // namespace etrace::decode
