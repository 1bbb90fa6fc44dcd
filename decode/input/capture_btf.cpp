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

}  // namespace

Result<std::optional<BtfTypes>> btf_for_capture(const CaptureFile& capture, const std::string& btf_path,
                                                format::CopyPlans& plans) {
  if (btf_path.empty() && !capture.btf().empty()) {
    auto btf = BtfTypes::from_bytes(
        std::string_view(reinterpret_cast<const char*>(capture.btf().data()), capture.btf().size()));
    if (!btf) return Error{"the capture's BTF block is unusable: " + btf.error().message};
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
