// Process contexts in text output (etrace-decode -v): strace has nothing
// like them, so they take the form of its other non-call lines:
//   --- context ppid=1 comm="id" exe="/usr/bin/id" uid=1000 ... ns={pid=4026531836, ...} ---
// when a thread's context first appears, and only what changed after that:
//   --- context uid=0->1000 euid=0->1000 ---
#pragma once

#include <string>

#include "decode/values/process_context.h"

namespace etrace::decode {

std::string context_text(const ProcessContext& context);
// Empty when nothing shown differs.
std::string context_change_text(const ProcessContext& before, const ProcessContext& after);

}  // namespace etrace::decode
