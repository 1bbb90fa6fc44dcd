#include "decode/syscall_catalog.h"

#include <cstdint>

#include "decode/errno_names.h"
#include "decode/tracepoint_format.h"

namespace etrace::decode {
namespace {

// Syscalls whose return value is an address: shown in hex, like strace.
bool returns_address(std::string_view name) {
  return name == "mmap" || name == "mmap2" || name == "mremap" || name == "brk" || name == "shmat";
}

}  // namespace

SyscallCatalog::SyscallCatalog(const format::SyscallTable& table, const format::TracepointFormats& formats)
    : table_(table), formats_(formats.formats) {}

const SyscallSignature& SyscallCatalog::signature(uint16_t nr) {
  if (auto it = cache_.find(nr); it != cache_.end()) return it->second;
  SyscallSignature sig;
  if (auto it = table_.names.find(nr); it != table_.names.end()) sig.name = it->second;
  else sig.name = "syscall_" + std::to_string(nr);
  sig.returns_address = returns_address(sig.name);
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
  return cache_.emplace(nr, std::move(sig)).first->second;
}

std::vector<NamedValue> SyscallCatalog::decode_args(const SyscallSignature& sig,
                                                    const std::array<uint64_t, 6>& regs) const {
  std::vector<NamedValue> out;
  if (!sig.have_format) {
    for (size_t i = 0; i < regs.size(); ++i) out.push_back({"arg" + std::to_string(i), RawHex{regs[i]}});
    return out;
  }
  for (size_t i = 0; i < sig.args.size(); ++i)
    out.push_back({sig.args[i].name, value_from_register(sig.args[i].type, regs[i])});
  return out;
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
