#include "decode/values/errno_names.h"

#include <cstring>

namespace etrace::decode {
namespace {

struct ErrnoEntry {
  int number;
  const char* name;
  const char* internal_message;  // set for kernel-internal codes only
};

constexpr ErrnoEntry kErrnos[] = {
#include "errno_table.inc"
};

const ErrnoEntry* find(int number) {
  for (const auto& e : kErrnos)
    if (e.number == number) return &e;
  return nullptr;
}

}  // namespace

std::optional<std::string_view> errno_name(int number) {
  if (const auto* e = find(number)) return std::string_view(e->name);
  return std::nullopt;
}

std::string errno_message(int number) {
  if (const auto* e = find(number); e && e->internal_message) return e->internal_message;
  // Decoding never calls setlocale(), so messages are the C locale's English.
  return std::strerror(number);
}

bool errno_is_kernel_internal(int number) {
  const auto* e = find(number);
  return e && e->internal_message;
}

}  // namespace etrace::decode
