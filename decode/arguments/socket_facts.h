// What decoding a call needs to know of the socket it names beyond the call
// itself: the family and protocol of the socket() call that made it. strace
// asks the kernel; etrace-decode remembers the call (decode/descriptors
// follows every descriptor), so a netlink socket's messages are decoded for
// its protocol.
#pragma once

namespace etrace::decode {

struct SocketFacts {
  int family = 0;
  int protocol = 0;
};

}  // namespace etrace::decode
