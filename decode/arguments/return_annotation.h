// The notes strace adds after some successful results, in parentheses:
// fcntl's flags, poll's and select's ready descriptors. Each family's are
// worked out in its own file; syscall_decoders.cpp binds them.
#pragma once

#include "decode/arguments/syscall_catalog.h"
#include "decode/input/call_pairing.h"
#include "decode/values/btf_types.h"
#include "decode/values/value.h"

namespace etrace::decode {

// Sets ret.annotation (and ret.hex where strace prints the value in hex).
// `btf` may be null.
void annotate_return(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret);

// fcntl's: the flags F_GETFD and F_GETFL return.
void annotate_fcntl_result(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret);

}  // namespace etrace::decode
