#include "decode/arguments/sockopt_values.h"

#include <cstdint>
#include <cstring>

#include <linux/types.h>

#include "format/records.h"

namespace etrace::decode {

std::optional<Value> sockopt_value(const PayloadItem& item, uint64_t, bool) {
  if (item.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT | ETRACE_PAYLOAD_CUT)) return std::nullopt;
  int32_t v = 0;
  if (item.bytes.size() != sizeof(v)) return std::nullopt;
  std::memcpy(&v, item.bytes.data(), sizeof(v));
  List l;
  l.items.emplace_back(std::in_place_type<SignedInt>, SignedInt{v});
  return Value(std::move(l));
}

}  // namespace etrace::decode
