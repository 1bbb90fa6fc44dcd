// What poll, ppoll, select and pselect6 report after their result, as
// strace shows it: "= 0 (Timeout)", "= 1 ([{fd=4, revents=POLLIN}])",
// "= 1 (in [4], left {tv_sec=0, tv_usec=0})". The arguments show what was
// asked (the copies made at enter); this is what the kernel wrote back (the
// copies made at exit).
#pragma once

#include "decode/arguments/syscall_catalog.h"
#include "decode/input/call_pairing.h"
#include "decode/values/btf_types.h"
#include "decode/values/value.h"

namespace etrace::decode {

// Each sets ret.annotation; nothing for failed calls, or when the capture
// holds no exit copy to tell from. `btf` may be null.
void annotate_poll_result(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret);
void annotate_ppoll_result(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret);
void annotate_select_result(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret);

}  // namespace etrace::decode
