// The payload items of one argument of a call: what the capture copied for
// it at enter or at exit, matched to the capture's copy plan by op index.
// Shared by the argument decoder and the return annotations, which read
// the same copies (poll's array at enter for the arguments, at exit for the
// result).
#pragma once

#include <cstddef>
#include <vector>

#include "decode/arguments/syscall_catalog.h"
#include "decode/input/record_parser.h"
#include "format/metadata.h"

namespace etrace::decode {

struct ArgCopies {
  std::vector<const PayloadItem*> items;  // in op order; empty when nothing was copied
  const format::CopyOp* op = nullptr;     // the op of the last item
  // The first item holds bytes (it was neither NULL nor unreadable).
  bool readable() const;
};

// `payloads` is a call's enter_payloads or exit_payloads.
ArgCopies copies_of(const SyscallSignature& sig, const std::vector<PayloadItem>& payloads, size_t arg);

}  // namespace etrace::decode
