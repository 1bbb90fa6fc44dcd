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

// "[3 4]": the descriptors below nfds set in an fd_set's bytes (or the CPUs
// of a CPU set).
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

// getdents64's buffer (its items: the bytes, then, when the capture cut
// them, the count of all its entries, format 1.3) as its entries; by
// default their count, or the address when the copy was cut and not
// counted (older captures); nothing when the buffer was not read.
std::optional<Value> dirents_value(const std::vector<const PayloadItem*>& items, uint64_t address, bool verbose);
// wait4's status as strace shows it: "[{WIFEXITED(s) ...}]". It has
// syscall_decoders.h's signature for memory arguments.
std::optional<Value> wait_status_value(const PayloadItem& item, uint64_t address, bool verbose);
// A CPU set (sched_getaffinity's), as the CPUs in it: "[0 1]".
std::optional<Value> cpu_set_value(const PayloadItem& item, uint64_t address, bool verbose);
// rt_sigreturn's signal frame, shown by the mask it restores: "{mask=[USR1]}".
std::optional<Value> sigreturn_frame(const PayloadItem& mask, uint64_t address, bool verbose);

}  // namespace etrace::decode
