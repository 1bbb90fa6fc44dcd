#include "decode/syscall_catalog.h"

#include <algorithm>

#include "decode/errno_names.h"
#include "decode/tracepoint_format.h"

namespace etrace::decode {
namespace {

// Syscalls whose return value is an address: shown in hex, like strace.
bool returns_address(std::string_view name) {
  return name == "mmap" || name == "mmap2" || name == "mremap" || name == "brk" || name == "shmat";
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string syscall_display_name(std::string_view table_name) {
  // The kernel's syscall metadata names calls "sys_openat".
  if (table_name.substr(0, 4) == "sys_" && table_name.size() > 4) table_name.remove_prefix(4);
  return std::string(table_name);
}

SyscallCatalog::SyscallCatalog(const format::SyscallTable& table, const format::TracepointFormats& formats)
    : formats_(formats.formats) {
  for (const auto& [nr, name] : table.names) names_[nr] = syscall_display_name(name);
}

const SyscallSignature& SyscallCatalog::signature(uint16_t nr) {
  if (auto it = cache_.find(nr); it != cache_.end()) return it->second;
  SyscallSignature sig;
  if (auto it = names_.find(nr); it != names_.end()) sig.name = it->second;
  else sig.name = "syscall_" + std::to_string(nr);
  sig.returns_address = returns_address(sig.name);
  if (auto f = formats_.find("sys_enter_" + sig.name); f != formats_.end()) {
    auto parsed = parse_tracepoint_format(f->second);
    if (parsed) {
      sig.have_format = true;
      for (const auto& field : syscall_arguments(*parsed))
        sig.args.push_back({field.name, classify_c_type(field.type)});
      // Syscalls take at most six register arguments.
      if (sig.args.size() > 6) sig.args.resize(6);
    } else {
      problems_.push_back("the capture's format of sys_enter_" + sig.name + " is unreadable: " +
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

std::optional<uint16_t> SyscallCatalog::number_of(std::string_view name) const {
  for (const auto& [nr, n] : names_)
    if (n == name) return static_cast<uint16_t>(nr);
  return std::nullopt;
}

std::vector<std::string> SyscallCatalog::closest_names(std::string_view name, size_t count) const {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& [nr, n] : names_) {
    size_t d = edit_distance(name, n);
    // A prefix or substring match is as good as one edit ("open" -> "openat").
    if (n.find(name) != std::string::npos || name.find(n) != std::string_view::npos) d = std::min<size_t>(d, 1);
    scored.emplace_back(d, n);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, n] : scored) {
    if (out.size() == count || d > std::max<size_t>(2, name.size() / 2)) break;
    out.push_back(n);
  }
  return out;
}

}  // namespace etrace::decode
