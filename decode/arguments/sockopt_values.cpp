#include "decode/arguments/sockopt_values.h"

#include <sys/socket.h>
#include <linux/types.h>

#include <cstdint>
#include <cstring>

#include "decode/values/errno_names.h"
#include "format/records.h"

namespace etrace::decode {
namespace {

Value int_list(Value v) {
  List l;
  l.items.push_back(std::move(v));
  return l;
}

// The struct's ints as named fields, when the copy is exactly the struct.
template <typename T, size_t N>
std::optional<Value> int_struct(const std::string& bytes, const char* const (&names)[N]) {
  static_assert(sizeof(T) == N * sizeof(int32_t));
  if (bytes.size() != sizeof(T)) return std::nullopt;
  Aggregate a;
  for (size_t i = 0; i < N; ++i) {
    int32_t v;
    std::memcpy(&v, bytes.data() + i * sizeof v, sizeof v);
    a.fields.push_back({names[i], SignedInt{v}});
  }
  return a;
}

}  // namespace

std::optional<Value> sockopt_value(const PayloadItem& item, const Registers& regs) {
  if (item.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT | ETRACE_PAYLOAD_CUT)) return std::nullopt;
  const auto level = static_cast<int32_t>(regs[1]);
  const auto name = static_cast<int32_t>(regs[2]);
  if (level == SOL_SOCKET && name == SO_LINGER) {
    static constexpr const char* kFields[] = {"l_onoff", "l_linger"};
    return int_struct<struct linger>(item.bytes, kFields);
  }
  if (level == SOL_SOCKET && name == SO_PEERCRED) {
    static constexpr const char* kFields[] = {"pid", "uid", "gid"};
    return int_struct<struct ucred>(item.bytes, kFields);
  }
  int32_t v = 0;
  if (item.bytes.size() != sizeof(v)) return std::nullopt;
  std::memcpy(&v, item.bytes.data(), sizeof(v));
  if (level == SOL_SOCKET && name == SO_ERROR && v > 0)
    if (auto errno_text = errno_name(v)) return int_list(Symbolic{v, std::string(*errno_text)});
  return int_list(Value(std::in_place_type<SignedInt>, SignedInt{v}));
}

}  // namespace etrace::decode
