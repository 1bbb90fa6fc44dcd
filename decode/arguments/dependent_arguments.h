// Register arguments whose notation depends on another argument: fcntl's
// third by its command, socket's protocol by its family. The generic
// decoder asks here first; nothing means "decode by the semantics table".
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "decode/values/value.h"

namespace etrace::decode {

std::optional<Value> dependent_argument(std::string_view syscall, size_t index, const std::array<uint64_t, 6>& regs);

}  // namespace etrace::decode
