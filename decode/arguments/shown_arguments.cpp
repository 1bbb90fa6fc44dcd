#include "decode/arguments/shown_arguments.h"

#include <fcntl.h>
#include <linux/mman.h>

#include <algorithm>

namespace etrace::decode {
namespace {

bool creates(uint64_t flags) { return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE; }

// fcntl commands that take no third argument.
bool fcntl_takes_no_arg(uint64_t cmd) {
  switch (cmd) {
    case F_GETFD: case F_GETFL: case F_GETOWN: case F_GETSIG: case F_GETLEASE: case F_GETPIPE_SZ: case F_GET_SEALS:
      return true;
    default:
      return false;
  }
}

}  // namespace

size_t open_shown(const Registers& regs) { return creates(regs[1]) ? 3 : 2; }

size_t openat_shown(const Registers& regs) { return creates(regs[2]) ? 4 : 3; }

size_t fcntl_shown(const Registers& regs) { return fcntl_takes_no_arg(regs[1]) ? 2 : kAllArguments; }

// new_address is read only with MREMAP_FIXED.
size_t mremap_shown(const Registers& regs) { return regs[3] & MREMAP_FIXED ? kAllArguments : 4; }

}  // namespace etrace::decode
