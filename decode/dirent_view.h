// getdents64's buffer as strace shows it: by default the address and how
// many entries it holds, "0x55d0c3a0 /* 20 entries */"; with -v every
// linux_dirent64 entry.
#pragma once

#include <cstdint>
#include <string_view>

#include "decode/btf_types.h"
#include "decode/value.h"

namespace etrace::decode {

// `bytes` are the entries the call returned, copied from `address`. An
// entry the copy does not hold in full ends the list, flagged `more`.
Value render_dirents64(const BtfTypes& types, uint64_t address, std::string_view bytes, bool verbose);

}  // namespace etrace::decode
