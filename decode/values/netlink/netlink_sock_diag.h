// The payloads of NETLINK_SOCK_DIAG messages that strace decodes here: the
// inet_diag request (struct inet_diag_req_v2) and reply (struct
// inet_diag_msg) for AF_INET and AF_INET6 sockets, unix_diag's for AF_UNIX
// ones, with their attributes.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "decode/values/value.h"

namespace etrace::decode::netlink {

// Appends the message's payload values to `out`; false for what it does not
// know (other families' requests and replies stay in hex).
bool sock_diag_payload(std::vector<Value>& out, uint16_t type, uint16_t flags, std::string_view payload,
                       size_t limit);

}  // namespace etrace::decode::netlink
