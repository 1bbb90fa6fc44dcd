#include "decode/arguments/return_annotation.h"

#include "catalog/syscall_commands.h"
#include "decode/arguments/fcntl_arguments.h"
#include "decode/arguments/syscall_decoders.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode {
namespace {

// A command's result in its set's notation: "= 1 (SUID_DUMP_USER)", or as
// flags in hex, "= 0x2 (PR_SPEC_ENABLE)" (nothing to add to a zero).
void annotate_command_result(const catalog::ArgSemantics& result, ReturnValue& ret) {
  const bool flags = result.kind == catalog::ArgKind::kFlags;
  if (flags && ret.raw == 0) return;
  ret.hex = flags;
  Aggregate a;
  a.fields.push_back({"", Symbolic{ret.raw, xlat::enum_text(result.param, ret.raw)}});
  ret.annotation = std::move(a);
}

}  // namespace

void annotate_return(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret) {
  if (ret.error || !call.args) return;
  if (const catalog::CommandSemantics* command = catalog::find_command(sig.name, *call.args)) {
    if (command->result) annotate_command_result(*command->result, ret);
    return;
  }
  if (sig.decoders && sig.decoders->annotate_result) sig.decoders->annotate_result(sig, call, btf, ret);
}

void annotate_fcntl_result(const SyscallSignature&, const Call& call, const BtfTypes*, ReturnValue& ret) {
  annotate_fcntl_return((*call.args)[1], ret);
}

}  // namespace etrace::decode
