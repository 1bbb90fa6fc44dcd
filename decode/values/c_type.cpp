#include "decode/values/c_type.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace etrace::decode {
namespace {

struct Scalar {
  uint8_t width;
  bool is_signed;
};

// Types that appear in x86-64 syscall format files, by what the kernel's
// headers define them as. Widths are x86-64's (LP64).
const std::unordered_map<std::string, Scalar>& scalar_types() {
  static const std::unordered_map<std::string, Scalar> table = {
      {"char", {1, true}},  // x86 char is signed
      {"signed char", {1, true}},
      {"unsigned char", {1, false}},
      {"bool", {1, false}},
      {"_Bool", {1, false}},
      {"__u8", {1, false}},
      {"u8", {1, false}},
      {"__s8", {1, true}},
      {"s8", {1, true}},
      {"short", {2, true}},
      {"short int", {2, true}},
      {"signed short", {2, true}},
      {"unsigned short", {2, false}},
      {"unsigned short int", {2, false}},
      {"__u16", {2, false}},
      {"u16", {2, false}},
      {"__s16", {2, true}},
      {"s16", {2, true}},
      {"umode_t", {2, false}},
      {"int", {4, true}},
      {"signed", {4, true}},
      {"signed int", {4, true}},
      {"unsigned", {4, false}},
      {"unsigned int", {4, false}},
      {"__u32", {4, false}},
      {"u32", {4, false}},
      {"uint32_t", {4, false}},
      {"__s32", {4, true}},
      {"s32", {4, true}},
      {"int32_t", {4, true}},
      {"pid_t", {4, true}},
      {"__kernel_pid_t", {4, true}},
      {"uid_t", {4, false}},
      {"gid_t", {4, false}},
      {"qid_t", {4, false}},
      {"__kernel_uid32_t", {4, false}},
      {"__kernel_gid32_t", {4, false}},
      {"key_t", {4, true}},
      {"key_serial_t", {4, true}},
      {"clockid_t", {4, true}},
      {"__kernel_clockid_t", {4, true}},
      {"timer_t", {4, true}},
      {"__kernel_timer_t", {4, true}},
      {"mqd_t", {4, true}},
      {"__kernel_mqd_t", {4, true}},
      {"rwf_t", {4, true}},
      {"__kernel_rwf_t", {4, true}},
      {"long", {8, true}},
      {"long int", {8, true}},
      {"signed long", {8, true}},
      {"long long", {8, true}},
      {"long long int", {8, true}},
      {"signed long long", {8, true}},
      {"__s64", {8, true}},
      {"s64", {8, true}},
      {"int64_t", {8, true}},
      {"ssize_t", {8, true}},
      {"off_t", {8, true}},
      {"loff_t", {8, true}},
      {"__kernel_off_t", {8, true}},
      {"__kernel_loff_t", {8, true}},
      {"__kernel_long_t", {8, true}},
      {"__kernel_old_time_t", {8, true}},
      {"time_t", {8, true}},
      {"unsigned long", {8, false}},
      {"unsigned long int", {8, false}},
      {"unsigned long long", {8, false}},
      {"unsigned long long int", {8, false}},
      {"__u64", {8, false}},
      {"u64", {8, false}},
      {"uint64_t", {8, false}},
      {"size_t", {8, false}},
      {"__kernel_size_t", {8, false}},
      {"__kernel_ulong_t", {8, false}},
      {"aio_context_t", {8, false}},
  };
  return table;
}

// Typedefs that are pointers although no '*' is written.
bool is_pointer_typedef(const std::string& t) { return t == "cap_user_header_t" || t == "cap_user_data_t"; }

bool is_qualifier(std::string_view w) {
  return w == "const" || w == "volatile" || w == "__user" || w == "restrict" || w == "__restrict" ||
         w == "__restrict__" || w == "__force";
}

}  // namespace

CType classify_c_type(std::string_view declared) {
  // Words of the type, without qualifiers; '*' counted separately.
  std::vector<std::string> words;
  bool pointer = false;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && !is_qualifier(cur)) words.push_back(cur);
    cur.clear();
  };
  for (char c : declared) {
    if (c == '*') {
      flush();
      pointer = true;
    } else if (c == ' ' || c == '\t') {
      flush();
    } else {
      cur += c;
    }
  }
  flush();

  CType t;
  if (pointer) {
    t.is_pointer = true;
    t.known = true;
    return t;
  }
  if (words.empty()) return t;
  if (words[0] == "enum") {
    t.width = 4;  // an enum is int-sized on every ABI Linux supports
    t.is_signed = false;
    t.known = true;
    return t;
  }
  std::string joined;
  for (const auto& w : words) joined += (joined.empty() ? "" : " ") + w;
  if (is_pointer_typedef(joined)) {
    t.is_pointer = true;
    t.known = true;
    return t;
  }
  auto it = scalar_types().find(joined);
  if (it == scalar_types().end()) return t;  // unknown: 8-byte hex
  t.width = it->second.width;
  t.is_signed = it->second.is_signed;
  t.known = true;
  return t;
}

Value value_from_register(const CType& type, uint64_t reg) {
  if (type.is_pointer) return Pointer{reg};
  if (!type.known) return RawHex{reg};
  const unsigned bits = type.width * 8u;
  uint64_t v = bits >= 64 ? reg : reg & ((uint64_t{1} << bits) - 1);
  if (!type.is_signed) return UnsignedInt{v};
  if (bits < 64 && (v >> (bits - 1)) & 1) v |= ~uint64_t{0} << bits;  // sign-extend
  return SignedInt{static_cast<int64_t>(v)};
}

}  // namespace etrace::decode
