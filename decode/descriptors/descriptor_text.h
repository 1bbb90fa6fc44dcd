// How etrace-decode -y names what a descriptor refers to, in strace's
// notation: "/etc/hosts", "pipe:[1234]", "socket:[5678]", and with -yy a
// socket's protocol and addresses, "TCP:[127.0.0.1:40000->127.0.0.1:80]".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "decode/descriptors/descriptor_table.h"

namespace etrace::decode {

// `addresses` is -yy. An inode the capture did not see is "?".
std::string descriptor_text(const OpenFile& file, bool addresses);

// strace's protocol name for socket(domain, type, protocol): "TCP",
// "UDPv6", "UNIX-STREAM"; "" when it has none.
std::string socket_protocol(int64_t domain, int64_t type, int64_t protocol);

// A struct sockaddr's bytes as an endpoint: "127.0.0.1:80", "[::1]:80",
// "/run/x.sock", "@abstract"; "" for other families or short addresses.
std::string endpoint_text(std::string_view sockaddr);

// A netlink socket's address as strace shows it, by protocol and port id:
// "ROUTE:23310"; "" before the port id is known (bound to 0).
std::string netlink_endpoint_text(int protocol, std::string_view sockaddr);

}  // namespace etrace::decode
