#include "decode/return_annotation.h"

#include "decode/fcntl_arguments.h"
#include "decode/poll_results.h"

namespace etrace::decode {

void annotate_return(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret) {
  if (ret.error || !call.args) return;
  if (sig.name == "fcntl") annotate_fcntl_return((*call.args)[1], ret);
  else if (auto note = poll_result(sig, call, btf)) ret.annotation = std::move(note);
}

}  // namespace etrace::decode
