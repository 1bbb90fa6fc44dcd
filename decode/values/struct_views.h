// Structs as strace shows them. For the structs strace has its own layout
// for (stat, sigaction, rlimit, pollfd...), the members it shows by default
// in its order and notation, with the rest left out and the Aggregate
// marked elided ("..."); with `verbose` (strace -v) every member it shows.
// Any other struct is rendered member by member from BTF.
#pragma once

#include <cstdint>
#include <string_view>

#include "decode/values/btf_types.h"
#include "decode/values/value.h"

namespace etrace::decode {

struct ViewOptions {
  bool verbose = false;
  // The copy made when the call returned: pollfd shows revents, not events.
  bool at_exit = false;
};

// `bytes` (at most the struct's size; fewer when the copy was cut) as the
// struct or union of BTF type `id`.
Value render_struct(const BtfTypes& types, uint32_t id, std::string_view bytes, ViewOptions options = {});

// `count` structs of type `id` laid end to end (poll's pollfd[],
// epoll_wait's epoll_event[]). `more` says the array had more elements than
// were copied; elements the bytes do not hold in full are left out and
// flagged the same way.
List render_struct_array(const BtfTypes& types, uint32_t id, std::string_view bytes, uint64_t count, bool more,
                         ViewOptions options = {});

}  // namespace etrace::decode
