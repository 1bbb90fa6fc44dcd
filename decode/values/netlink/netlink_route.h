// The payloads of NETLINK_ROUTE messages that strace decodes here: links,
// addresses, routes, neighbours and rules, each a struct and its attribute
// chain.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "decode/values/value.h"

namespace etrace::decode::netlink {

// Appends the message's payload values to `out`; false for a type it does
// not know (the payload then stays in hex).
bool route_payload(std::vector<Value>& out, uint16_t type, std::string_view payload, size_t limit);

}  // namespace etrace::decode::netlink
