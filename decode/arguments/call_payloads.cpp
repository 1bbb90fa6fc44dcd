#include "decode/arguments/call_payloads.h"

#include <linux/types.h>

#include "format/records.h"

namespace etrace::decode {
namespace {

bool indirect(const format::CopyOp& op) { return (op.flags & ETRACE_OP_INDIRECT) != 0; }

template <typename Match>
ArgCopies matching(const CallPlan& plan, const std::vector<PayloadItem>& payloads, Match match) {
  ArgCopies out;
  for (const auto& item : payloads) {
    const format::CopyOp* op = plan.op(item.op);
    if (!op || !match(*op)) continue;
    out.items.push_back(&item);
    out.op = op;
  }
  return out;
}

}  // namespace

const format::CopyOp* CallPlan::op(size_t index) const {
  const size_t base = ops ? ops->size() : 0;
  if (index < base) return &(*ops)[index];
  if (command_ops && index - base < command_ops->size()) return &(*command_ops)[index - base];
  return nullptr;
}

CallPlan call_plan(const SyscallSignature& sig, const std::array<uint64_t, 6>& regs) {
  CallPlan plan{sig.ops};
  if (!sig.commands) return plan;
  const uint32_t value = static_cast<uint32_t>(regs[sig.commands->arg % 6]) & sig.commands->mask;
  if (auto it = sig.commands->plans.find(value); it != sig.commands->plans.end()) plan.command_ops = &it->second;
  return plan;
}

bool ArgCopies::readable() const {
  return !items.empty() && !(items.front()->flags & (ETRACE_PAYLOAD_FAULT | ETRACE_PAYLOAD_NULL));
}

ArgCopies copies_of(const CallPlan& plan, const std::vector<PayloadItem>& payloads, size_t arg) {
  return matching(plan, payloads, [arg](const format::CopyOp& op) { return op.arg == arg && !indirect(op); });
}

ArgCopies copies_of(const SyscallSignature& sig, const std::vector<PayloadItem>& payloads, size_t arg) {
  return copies_of(CallPlan{sig.ops}, payloads, arg);
}

ArgCopies nested_copies(const CallPlan& plan, const std::vector<PayloadItem>& payloads, size_t arg,
                        std::string_view member) {
  return matching(plan, payloads,
                  [&](const format::CopyOp& op) { return op.arg == arg && indirect(op) && op.member == member; });
}

}  // namespace etrace::decode
