#include "decode/arguments/clone_arguments.h"

#include <linux/sched.h>

#include "decode/values/xlat/xlat.h"

namespace etrace::decode {

std::vector<NamedValue> clone_arguments(const std::array<uint64_t, 6>& regs) {
  // x86-64: clone(flags, newsp, parent_tidptr, child_tidptr, tls)
  const uint64_t flags = regs[0];
  std::vector<NamedValue> out;
  out.push_back({"child_stack", Pointer{regs[1]}});
  out.push_back({"flags", Symbolic{static_cast<int64_t>(flags), xlat::flags_text("clone", flags)}});
  if (flags & CLONE_PARENT_SETTID) out.push_back({"parent_tid", Pointer{regs[2]}});
  if (flags & CLONE_SETTLS) out.push_back({"tls", Pointer{regs[4]}});
  if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) out.push_back({"child_tidptr", Pointer{regs[3]}});
  return out;
}

}  // namespace etrace::decode
