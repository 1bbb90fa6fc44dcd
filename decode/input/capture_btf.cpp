#include "decode/input/capture_btf.h"

#include <sys/utsname.h>

#include <fstream>
#include <iterator>

namespace etrace::decode {
namespace {

constexpr const char* kLocalBtf = "/sys/kernel/btf/vmlinux";

bool needs_btf(const format::CopyPlans& plans) {
  for (const auto& [nr, ops] : plans.syscalls)
    for (const auto& op : ops)
      if (op.btf_id) return true;
  return false;
}

Result<BtfTypes> read_btf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read BTF from " + path};
  std::string raw{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto btf = BtfTypes::from_bytes(raw);
  if (!btf) return Error{path + ": " + btf.error().message};
  return btf;
}

bool same_kernel_here(const format::HostInfo& host) {
  utsname u{};
  return uname(&u) == 0 && host.kernel_release == u.release && host.kernel_version == u.version;
}

std::string syscall_name(const CaptureFile& capture, uint32_t nr) {
  if (const auto& table = capture.syscall_table())
    if (auto it = table->names.find(nr); it != table->names.end()) return it->second;
  return "syscall " + std::to_string(nr);
}

// The capture's own BTF must hold, with a size, every type its copy plans
// name by id; an op naming one it lacks would show its struct as bytes or
// its array as an address, silently. Such ops lose their id, and are said.
void drop_unknown_type_ids(const BtfTypes& btf, const CaptureFile& capture, format::CopyPlans& plans,
                           std::vector<std::string>& problems) {
  uint64_t unknown = 0;
  std::string first;
  for (auto& [nr, ops] : plans.syscalls)
    for (auto& op : ops) {
      if (!op.btf_id || btf.size_of(op.btf_id).value_or(0) > 0) continue;
      if (unknown++ == 0)
        first = syscall_name(capture, nr) + "'s type " + std::to_string(op.btf_id) +
                (op.type.empty() ? "" : " (" + op.type + ")");
      op.btf_id = 0;
    }
  if (unknown)
    problems.push_back("the capture's copy plans name " + std::to_string(unknown) +
                       (unknown == 1 ? " type" : " types") + " its BTF does not have (" + first +
                       "): those arguments are shown as addresses");
}

}  // namespace

Result<std::optional<BtfTypes>> btf_for_capture(const CaptureFile& capture, const std::string& btf_path,
                                                format::CopyPlans& plans, std::vector<std::string>& problems) {
  if (btf_path.empty() && !capture.btf().empty()) {
    auto btf = BtfTypes::from_bytes(
        std::string_view(reinterpret_cast<const char*>(capture.btf().data()), capture.btf().size()));
    if (!btf) return Error{"the capture's BTF block is unusable: " + btf.error().message};
    drop_unknown_type_ids(*btf, capture, plans, problems);
    return std::optional<BtfTypes>(std::move(*btf));
  }
  if (btf_path.empty() && !needs_btf(plans)) return std::optional<BtfTypes>();
  // --btf, asked for explicitly, wins over the capture's own.
  std::string path = btf_path;
  if (path.empty()) {
    const auto& host = capture.host();
    if (!host || !same_kernel_here(*host))
      return Error{"the capture was made without its kernel's BTF (etrace-capture --no-btf) on kernel " +
                   (host ? host->kernel_release : std::string("unknown")) +
                   ", and this machine runs another; give that kernel's BTF with --btf PATH "
                   "(it is /sys/kernel/btf/vmlinux there)"};
    path = kLocalBtf;
  }
  auto btf = read_btf(path);
  if (!btf) return btf.error();
  for (auto& [nr, ops] : plans.syscalls)
    for (auto& op : ops)
      if (!op.type.empty()) op.btf_id = btf->find_type(op.type).value_or(0);
  return std::optional<BtfTypes>(std::move(*btf));
}

}  // namespace etrace::decode
