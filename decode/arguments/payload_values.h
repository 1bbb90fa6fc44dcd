// Values made from payload items (format/FORMAT.md, "Payload items"), shared
// by the argument decoders.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "decode/input/record_parser.h"
#include "decode/values/value.h"

namespace etrace::decode {

// The int at `offset` of copied bytes (0 when they are too short).
int64_t int_at(const std::string& bytes, size_t offset = 0);

// "[3 4]": the descriptors below nfds set in an fd_set's bytes.
std::string fd_list(const std::string& bytes, uint64_t nfds);

// A string, path or buffer; NULL for a NULL item; the address for one the
// capture could not read.
Value bytes_value(const PayloadItem& item, Bytes::Style style, uint64_t address);

// What a buffer's bytes mean beyond bytes (netlink messages); nothing keeps
// them bytes.
using DataDecoder = std::function<std::optional<Value>(const Bytes&)>;

// iovec items as strace shows them, "[{iov_base="abc", iov_len=8}, ...]",
// up to `limit` elements. `transferred` is the call's return value for
// outputs: each buffer then shows only the bytes that reached it, through
// `data` when given.
Value iovecs(const std::vector<const PayloadItem*>& items, uint64_t address, size_t limit,
             std::optional<uint64_t> transferred, const DataDecoder& data = {});

// getdents64's buffer as its entries; the address when the capture cut the
// copy (the count would be wrong) unless `verbose`; nothing when the buffer
// was not read. wait4's status as strace shows it: "[{WIFEXITED(s) ...}]".
// Both have syscall_decoders.h's signature for memory arguments.
std::optional<Value> dirents_value(const PayloadItem& item, uint64_t address, bool verbose);
std::optional<Value> wait_status_value(const PayloadItem& item, uint64_t address, bool verbose);

}  // namespace etrace::decode
