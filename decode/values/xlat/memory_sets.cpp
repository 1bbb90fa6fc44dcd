// Memory mapping: mmap's protection and flags, msync, mlock, mremap, madvise.
#include <linux/mman.h>

#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/custom_sets.h"

namespace etrace::decode::xlat {

// mmap's flags hold two fields: the mapping type in the low bits (a value,
// MAP_FILE when 0) and the huge page size (log2) in the top six bits, which
// strace writes as "21<<MAP_HUGE_SHIFT" after the flags.
std::string map_text(int64_t value) {
  auto bits = static_cast<uint64_t>(value);
  std::string out = value_string(constants("map_type"), static_cast<int64_t>(bits & MAP_TYPE), "MAP_???");
  bits &= ~static_cast<uint64_t>(MAP_TYPE);
  const uint64_t huge_field = static_cast<uint64_t>(MAP_HUGE_MASK) << MAP_HUGE_SHIFT;
  const uint64_t huge = (bits & huge_field) >> MAP_HUGE_SHIFT;
  bits &= ~huge_field;
  if (bits != 0) out.append("|").append(flags_string(constants("map"), bits, ""));
  if (huge != 0) out.append("|").append(std::to_string(huge)).append("<<MAP_HUGE_SHIFT");
  return out;
}

}  // namespace etrace::decode::xlat
