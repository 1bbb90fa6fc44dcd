// The payload items of one argument of a call: what the capture copied for
// it at enter or at exit, matched to the capture's copy plan by op index.
// Shared by the argument decoder and the return annotations, which read
// the same copies (poll's array at enter for the arguments, at exit for the
// result).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "catalog/syscall_commands.h"
#include "decode/arguments/syscall_catalog.h"
#include "decode/input/record_parser.h"
#include "format/metadata.h"

namespace etrace::decode {

// The ops a call's items index: its syscall's plan, then, numbered on from
// it, the plan of the command the call made (a multiplexed syscall's, when
// the capture has one for it).
struct CallPlan {
  const std::vector<format::CopyOp>* ops = nullptr;
  const std::vector<format::CopyOp>* command_ops = nullptr;
  const format::CopyOp* op(size_t index) const;
};

// The plan of a call of `sig` with these registers.
CallPlan call_plan(const SyscallSignature& sig, const std::array<uint64_t, 6>& regs);

struct ArgCopies {
  std::vector<const PayloadItem*> items;  // in op order; empty when nothing was copied
  const format::CopyOp* op = nullptr;     // the op of the last item
  // The first item holds bytes (it was neither NULL nor unreadable).
  bool readable() const;
};

// `payloads` is a call's enter_payloads or exit_payloads. The copies of the
// argument itself, not of what its struct's members point at.
ArgCopies copies_of(const CallPlan& plan, const std::vector<PayloadItem>& payloads, size_t arg);
ArgCopies copies_of(const SyscallSignature& sig, const std::vector<PayloadItem>& payloads, size_t arg);

// The copies of what member `member` of argument `arg`'s struct points at.
ArgCopies nested_copies(const CallPlan& plan, const std::vector<PayloadItem>& payloads, size_t arg,
                        std::string_view member);

}  // namespace etrace::decode
