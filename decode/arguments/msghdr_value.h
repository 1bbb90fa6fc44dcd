// sendmsg's and recvmsg's struct msghdr as strace shows it: its address
// (msg_name) as a sockaddr, its iovecs with their data, msg_control left
// out when there is none.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "decode/arguments/payload_values.h"
#include "decode/input/record_parser.h"
#include "decode/values/value.h"

namespace etrace::decode {

// `items`: the struct's bytes, its msg_name's, then its iovecs' (as
// ETRACE_COPY_MSGHDR lays them out). `transferred`: recvmsg's return value.
// `data` reads the iovecs' bytes (netlink messages).
Value msghdr_value(const std::vector<const PayloadItem*>& items, uint64_t address, size_t limit,
                   std::optional<uint64_t> transferred, const DataDecoder& data = {});

}  // namespace etrace::decode
