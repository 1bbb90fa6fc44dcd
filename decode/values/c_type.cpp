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
// headers define them as, grouped by width and signedness. Widths are
// x86-64's (LP64), where char is signed.
struct ScalarNames {
  Scalar scalar;
  std::vector<const char*> names;
};

const std::unordered_map<std::string, Scalar>& scalar_types() {
  static const std::unordered_map<std::string, Scalar> table = [] {
    const ScalarNames groups[] = {
      {{1, true}, {"char", "signed char", "__s8", "s8"}},
      {{1, false}, {"unsigned char", "bool", "_Bool", "__u8", "u8"}},
      {{2, true}, {"short", "short int", "signed short", "__s16", "s16"}},
      {{2, false}, {"unsigned short", "unsigned short int", "__u16", "u16", "umode_t"}},
      {{4, true},
        {"int", "signed", "signed int", "__s32", "s32", "int32_t", "pid_t", "__kernel_pid_t", "key_t",
         "key_serial_t", "clockid_t", "__kernel_clockid_t", "timer_t", "__kernel_timer_t", "mqd_t",
         "__kernel_mqd_t", "rwf_t", "__kernel_rwf_t"}},
      {{4, false},
        {"unsigned", "unsigned int", "__u32", "u32", "uint32_t", "uid_t", "gid_t", "qid_t", "__kernel_uid32_t",
         "__kernel_gid32_t"}},
      {{8, true},
        {"long", "long int", "signed long", "long long", "long long int", "signed long long", "__s64", "s64",
         "int64_t", "ssize_t", "off_t", "loff_t", "__kernel_off_t", "__kernel_loff_t", "__kernel_long_t",
         "__kernel_old_time_t", "time_t"}},
      {{8, false},
        {"unsigned long", "unsigned long int", "unsigned long long", "unsigned long long int", "__u64", "u64",
         "uint64_t", "size_t", "__kernel_size_t", "__kernel_ulong_t", "aio_context_t"}},
    };
    std::unordered_map<std::string, Scalar> by_name;
    for (const auto& group : groups)
      for (const char* name : group.names) by_name.emplace(name, group.scalar);
    return by_name;
  }();
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
  const auto width = static_cast<uint8_t>(bits);
  if (!type.is_signed) return UnsignedInt{v, width};
  if (bits < 64 && (v >> (bits - 1)) & 1) v |= ~uint64_t{0} << bits;  // sign-extend
  return SignedInt{static_cast<int64_t>(v), width};
}

}  // namespace etrace::decode
