// etrace-decode -y: the descriptors in a decoded call gain their paths
// ("3</etc/hosts>"), from what the descriptor tracker knew of them:
// descriptor arguments, poll's {fd=...}, pipe's and socketpair's pair, and
// a returned descriptor.
#pragma once

#include "decode/arguments/syscall_catalog.h"
#include "decode/descriptors/descriptor_tracker.h"
#include "decode/values/decoded_event.h"

namespace etrace::decode {

void annotate_descriptors(DecodedCall& call, const SyscallSignature& sig, const CallDescriptors& fds);

}  // namespace etrace::decode
