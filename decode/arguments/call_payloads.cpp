#include "decode/arguments/call_payloads.h"

#include <linux/types.h>

#include "format/records.h"

namespace etrace::decode {

bool ArgCopies::readable() const {
  return !items.empty() && !(items.front()->flags & (ETRACE_PAYLOAD_FAULT | ETRACE_PAYLOAD_NULL));
}

ArgCopies copies_of(const SyscallSignature& sig, const std::vector<PayloadItem>& payloads, size_t arg) {
  ArgCopies out;
  if (!sig.ops) return out;
  // An argument the table places on the stack was copied by the op that
  // reads from the stack pointer (there is one such at most).
  const bool on_stack = sig.semantics && arg < sig.semantics->args.size() && sig.semantics->args[arg].stack;
  const size_t source = on_stack ? ETRACE_ARG_SP : arg;
  for (const auto& item : payloads) {
    if (item.op >= sig.ops->size() || (*sig.ops)[item.op].arg != source) continue;
    out.items.push_back(&item);
    out.op = &(*sig.ops)[item.op];
  }
  return out;
}

}  // namespace etrace::decode
