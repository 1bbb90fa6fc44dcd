#include "decode/arguments/syscall_catalog.h"

#include <cstdint>

#include "decode/arguments/syscall_decoders.h"
#include "decode/input/tracepoint_format.h"
#include "decode/values/errno_names.h"

namespace etrace::decode {

SyscallCatalog::SyscallCatalog(const format::SyscallTable& table, const format::TracepointFormats& formats,
                               std::optional<format::CopyPlans> plans, std::optional<BtfTypes> btf)
    : table_(table), formats_(formats.formats), plans_(std::move(plans)), btf_(std::move(btf)) {}

const SyscallSignature& SyscallCatalog::signature(uint16_t nr) {
  if (nr < cache_.size() && cache_[nr]) return *cache_[nr];
  SyscallSignature sig;
  if (auto it = table_.names.find(nr); it != table_.names.end()) sig.name = it->second;
  else sig.name = "syscall_" + std::to_string(nr);
  sig.semantics = catalog::find_semantics(sig.name);
  sig.decoders = syscall_decoders(sig.name);
  sig.returns_address = sig.semantics && sig.semantics->ret == catalog::ReturnKind::kAddress;
  if (plans_) {
    if (auto it = plans_->syscalls.find(nr); it != plans_->syscalls.end()) sig.ops = &it->second;
    if (auto it = plans_->commands.find(nr); it != plans_->commands.end()) sig.commands = &it->second;
  }
  // The tracepoint may be named differently from the syscall ("newstat" for
  // stat); older tables without events use the name itself.
  std::string event = sig.name;
  if (auto it = table_.events.find(nr); it != table_.events.end()) event = it->second;
  if (auto f = formats_.find("sys_enter_" + event); f != formats_.end()) {
    auto parsed = parse_tracepoint_format(f->second);
    if (parsed) {
      sig.have_format = true;
      for (const auto& field : syscall_arguments(*parsed))
        sig.args.push_back({field.name, classify_c_type(field.type)});
      // Syscalls take at most six register arguments.
      if (sig.args.size() > 6) sig.args.resize(6);
    } else {
      problems_.push_back("the capture's format of sys_enter_" + event + " is unreadable: " +
                          parsed.error().message);
    }
  }
  if (nr >= cache_.size()) cache_.resize(nr + 1);
  cache_[nr] = std::make_unique<SyscallSignature>(std::move(sig));
  return *cache_[nr];
}

ReturnValue SyscallCatalog::decode_return(const SyscallSignature& sig, int64_t ret) const {
  ReturnValue r;
  r.raw = ret;
  r.is_address = sig.returns_address;
  if (is_error_return(ret)) {
    const int number = static_cast<int>(-ret);
    auto name = errno_name(number);
    r.error = ReturnValue::ErrorCode{number, name ? std::string(*name) : std::string(), errno_message(number),
                                     errno_is_kernel_internal(number)};
  }
  return r;
}

}  // namespace etrace::decode
