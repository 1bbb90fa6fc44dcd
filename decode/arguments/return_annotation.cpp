#include "decode/arguments/return_annotation.h"

#include "decode/arguments/fcntl_arguments.h"
#include "decode/arguments/poll_results.h"

namespace etrace::decode {

void annotate_return(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret) {
  if (ret.error || !call.args) return;
  if (sig.name == "fcntl") annotate_fcntl_return((*call.args)[1], ret);
  else if (auto note = poll_result(sig, call, btf)) ret.annotation = std::move(note);
}

}  // namespace etrace::decode
