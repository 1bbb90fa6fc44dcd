// This kernel's syscall table (number -> name, and the tracepoint that
// describes each syscall's arguments).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "capture/tracefs.h"
#include "format/metadata.h"

namespace etrace::capture {

// The x86-64 numbering (from the UAPI headers at build time, plus the
// syscalls added since), matched against the syscall tracepoints this
// kernel has. Tracepoints with no known number are named in `warnings`.
format::SyscallTable read_kernel_syscalls(const Tracefs& tracefs, std::vector<std::string>& warnings);

}  // namespace etrace::capture
