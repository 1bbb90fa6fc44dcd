// Polling, event descriptors, timers, clocks and ioctl requests.
#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/custom_sets.h"

namespace etrace::decode::xlat {

// An ioctl request is named by every header name it has, "SNDCTL_TMR_START
// or TCSETS"; one without a name is spelled as the _IOC() that builds it
// (asm-generic/ioctl.h's layout: nr 8 bits, type 8, size 14, direction 2).
std::string ioctl_text(int64_t value) {
  const auto request = static_cast<uint32_t>(value);
  std::string names;
  for (const auto& c : constants("ioctl"))
    if (static_cast<uint32_t>(c.value) == request) names += (names.empty() ? "" : " or ") + std::string(c.name);
  if (!names.empty()) return names;
  static constexpr const char* kDirections[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE"};
  return std::string("_IOC(") + kDirections[request >> 30] + ", " + c_hex((request >> 8) & 0xff) + ", " +
         c_hex(request & 0xff) + ", " + c_hex((request >> 16) & 0x3fff) + ")";
}

}  // namespace etrace::decode::xlat
