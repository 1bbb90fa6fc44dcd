// A call's arguments as strace shows them: each argument's kind comes from
// the semantics table (format/syscall_semantics.h), its bytes from the
// payload items the capture copied (matched to the capture's copy plan),
// its struct layouts from the capture's BTF. Without semantics or payloads
// an argument falls back to its register, typed by the format file.
#pragma once

#include <vector>

#include <optional>

#include "decode/arguments/decode_options.h"
#include "decode/arguments/socket_facts.h"
#include "decode/arguments/syscall_catalog.h"
#include "decode/input/call_pairing.h"
#include "decode/values/btf_types.h"
#include "decode/values/value.h"

namespace etrace::decode {

// `btf` may be null (a capture without BTF): structs show as addresses.
// `socket`: what is known of the socket the call names, if it names one.
std::vector<NamedValue> decode_arguments(const SyscallSignature& sig, const Call& call, const BtfTypes* btf,
                                         const DecodeOptions& options, std::optional<SocketFacts> socket = {});

}  // namespace etrace::decode
