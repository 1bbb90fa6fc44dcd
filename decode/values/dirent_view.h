// getdents64's buffer as strace shows it: by default the address and how
// many entries it holds, "0x55d0c3a0 /* 20 entries */"; with -v every
// linux_dirent64 entry.
//
// The entries are read at the fixed offsets of the linux_dirent64 ABI
// (u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]), not from
// BTF: the capture copies getdents64's buffer as raw bytes, so its BTF
// subset need not hold the type, and the layout cannot change.
#pragma once

#include <cstdint>
#include <string_view>

#include "decode/values/value.h"

namespace etrace::decode {

// `bytes` are the entries the call returned, copied from `address`. An
// entry the copy does not hold in full ends the list, flagged `more`.
Value render_dirents64(uint64_t address, std::string_view bytes, bool verbose);

// The default form alone, for entries counted elsewhere (by the capture,
// when it copied fewer bytes than the call returned): "0x55d0c3a0 /* 20
// entries */", "/* 2048+ entries */" when `at_least`.
Value dirents_count(uint64_t address, uint64_t count, bool at_least = false);

}  // namespace etrace::decode
