#include "decode/arguments/return_annotation.h"

#include "decode/arguments/fcntl_arguments.h"
#include "decode/arguments/syscall_decoders.h"

namespace etrace::decode {

void annotate_return(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret) {
  if (ret.error || !call.args) return;
  if (sig.decoders && sig.decoders->annotate_result) sig.decoders->annotate_result(sig, call, btf, ret);
}

void annotate_fcntl_result(const SyscallSignature&, const Call& call, const BtfTypes*, ReturnValue& ret) {
  annotate_fcntl_return((*call.args)[1], ret);
}

}  // namespace etrace::decode
