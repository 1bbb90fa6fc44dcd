// A socket address copied from the traced process, as strace shows it:
// {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}.
#pragma once

#include <string_view>

#include "decode/values/value.h"

namespace etrace::decode::xlat {

// An Aggregate for `bytes`, the address as long as the call said it was.
// AF_INET, AF_INET6, AF_UNIX and AF_NETLINK get their own fields when the
// bytes hold the whole structure (AF_INET6 may lack sin6_scope_id); other
// families, and addresses too short for their structure, show the bytes
// after the family as sa_data, as strace does. Fewer than the two bytes of
// the family give those bytes as a buffer: strace then shows the address,
// which only the caller knows.
Value sockaddr_value(std::string_view bytes);

}  // namespace etrace::decode::xlat
