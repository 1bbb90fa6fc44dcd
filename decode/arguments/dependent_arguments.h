// Register arguments whose notation depends on another argument: fcntl's
// third by its command, socket's protocol by its family, a socket option's
// name by its level (syscall_decoders.cpp binds them).
#pragma once

#include "decode/arguments/syscall_decoders.h"
#include "decode/values/value.h"

namespace etrace::decode {

// fcntl's third argument, by its command.
Value fcntl_third_argument(const Registers& regs);
// socket's and socketpair's protocol, by the family.
Value socket_protocol_argument(const Registers& regs);
// getsockopt's and setsockopt's option name, by the level.
Value sockopt_name_argument(const Registers& regs);

}  // namespace etrace::decode
