#include "decode/input/context_table.h"

#include "catalog/container_id.h"

namespace etrace::decode {

ContextRef ContextTable::on_context(format::ContextFacts facts) {
  if (facts.exe) {
    exes_[facts.pid] = *facts.exe;
  } else if (auto it = exes_.find(facts.pid); it != exes_.end()) {
    facts.exe = it->second;
  }
  auto ctx = std::make_shared<ProcessContext>();
  if (facts.cgroup_path) ctx->container = catalog::container_id_of(*facts.cgroup_path);
  ctx->facts = std::move(facts);
  return ctx;
}

void ContextTable::on_fork(uint32_t parent_tgid, uint32_t child_tgid) {
  if (parent_tgid == child_tgid) return;
  if (auto it = exes_.find(parent_tgid); it != exes_.end()) exes_[child_tgid] = it->second;
}

}  // namespace etrace::decode
