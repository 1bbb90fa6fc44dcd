// Files and descriptors: open, *at, access, fcntl, lseek, mount...
#include <linux/fcntl.h>
#include <linux/mount.h>

#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/custom_sets.h"

namespace etrace::decode::xlat {

// The access mode is a two-bit value (O_RDONLY is 0), always named; the
// flags follow it.
std::string open_text(int64_t value) {
  const auto bits = static_cast<uint64_t>(value);
  std::string out = value_string(constants("open_access"), static_cast<int64_t>(bits & O_ACCMODE), "");
  if (const uint64_t rest = bits & ~static_cast<uint64_t>(O_ACCMODE))
    out.append("|").append(flags_string(constants("open"), rest, ""));
  return out;
}

// Flags that only add to a descriptor (dup3, pipe2): the open flags
// without an access mode, so 0 is "0" rather than O_RDONLY.
std::string fd_open_text(int64_t value) { return flags_string(constants("open"), static_cast<uint64_t>(value), "O_???"); }

// statx's flags hold a synchronisation type (AT_STATX_SYNC_AS_STAT is 0),
// always named first, then the usual AT_ flags.
std::string statx_at_text(int64_t value) {
  const auto bits = static_cast<uint64_t>(value);
  std::string out = value_string(constants("statx_sync"), static_cast<int64_t>(bits & AT_STATX_SYNC_TYPE), "");
  if (const uint64_t rest = bits & ~static_cast<uint64_t>(AT_STATX_SYNC_TYPE))
    out.append("|").append(flags_string(constants("at"), rest, "AT_???"));
  return out;
}

// mount(2) still accepts the old magic number in the high half.
std::string mount_text(int64_t value) {
  auto bits = static_cast<uint64_t>(value);
  std::string out;
  if ((bits & MS_MGC_MSK) == MS_MGC_VAL) {
    out = "MS_MGC_VAL";
    bits &= ~static_cast<uint64_t>(MS_MGC_MSK);
    if (bits == 0) return out;
    out += '|';
  }
  return out + flags_string(constants("mount"), bits, "MS_???");
}

}  // namespace etrace::decode::xlat
