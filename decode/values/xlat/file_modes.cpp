// Permission bits, file modes and device numbers.
#include <linux/stat.h>

#include <cstdio>

#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode::xlat {

// C's "%#03o": "0644", "000" for zero.
std::string mode_text(uint64_t mode) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%#03llo", static_cast<unsigned long long>(mode));
  return buf;
}

// "S_IFREG|S_ISUID|0755": the type by name, then the special bits, then the
// permissions. A type with no name leaves the whole mode in octal.
std::string file_mode_text(uint64_t mode) {
  const uint64_t type = mode & S_IFMT;
  std::string out;
  if (type != 0) {
    auto name = name_of(constants("file_type"), static_cast<int64_t>(type));
    if (!name) return mode_text(mode);
    out.append(*name).append("|");
  }
  constexpr uint64_t kSpecial = S_ISUID | S_ISGID | S_ISVTX;
  if (mode & kSpecial) out.append(flags_string(constants("file_mode_bits"), mode & kSpecial, "")).append("|");
  return out + mode_text(mode & ~(S_IFMT | kSpecial));
}

// glibc's encoding of dev_t: major in bits 8..19 and 32..63, minor in bits
// 0..7 and 12..31.
std::string dev_text(uint64_t dev) {
  const uint64_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & 0xfffff000);
  const uint64_t minor = (dev & 0xff) | ((dev >> 12) & 0xffffff00);
  return "makedev(" + c_hex(major) + ", " + c_hex(minor) + ")";
}

}  // namespace etrace::decode::xlat
