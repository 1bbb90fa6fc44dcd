// The table etrace-capture prints on stderr when it stops: records written
// and lost per syscall and per library function ("malloc()"), then totals.
#pragma once

#include <ostream>

#include "format/metadata.h"

namespace etrace::capture {

void print_closing_table(std::ostream& out, const format::CaptureStats& stats, const format::SyscallTable& table,
                         const format::LibraryTable& libraries = {});

}  // namespace etrace::capture
