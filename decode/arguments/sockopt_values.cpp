#include "decode/arguments/sockopt_values.h"

#include <cstdint>

#include <linux/types.h>

#include "format/records.h"

namespace etrace::decode {

std::optional<Value> sockopt_value(const PayloadItem& item, uint64_t, bool) {
  if (item.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT | ETRACE_PAYLOAD_CUT)) return std::nullopt;
  if (item.bytes.size() != sizeof(int32_t)) return std::nullopt;
  return Bytes{item.bytes, item.bytes.size(), false, Bytes::Style::kInt};
}

}  // namespace etrace::decode
