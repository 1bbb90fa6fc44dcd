// What -s selects, one rule for both tools: syscall names, strace's trace
// classes (%file, %net, %%stat...) and exclusions (!close, !%desc), each
// argument possibly a comma-separated list (-s openat,close).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/syscall_semantics.h"
#include "common/result.h"
#include "format/metadata.h"

namespace etrace::catalog {

// The numbers in `table` that `terms` select, ascending: the union of the
// names and classes named, less every excluded one; with exclusions alone,
// every syscall but those; with no terms, every syscall. Class membership
// comes from `semantics` by name. An Error, one sentence, for an unknown
// name or class, an empty term, or a selection of nothing.
Result<std::vector<uint32_t>> select_syscalls(const format::SyscallTable& table,
                                              const std::vector<SyscallSemantics>& semantics,
                                              const std::vector<std::string>& terms);

// "%file, %desc, ..., %%stat, %%statfs": the class names -s accepts.
std::string known_class_list();

}  // namespace etrace::catalog
