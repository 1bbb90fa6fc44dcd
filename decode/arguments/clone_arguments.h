// clone's arguments as strace shows them: by name, in its own order
// (child_stack first, though x86-64 passes flags first), and only those the
// flags make the kernel use.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "decode/values/value.h"

namespace etrace::decode {

std::vector<NamedValue> clone_arguments(const std::array<uint64_t, 6>& regs);

}  // namespace etrace::decode
