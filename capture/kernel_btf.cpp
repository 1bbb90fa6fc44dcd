#include "capture/kernel_btf.h"

#include <bpf/btf.h>

#include <cerrno>
#include <cstring>

namespace etrace::capture {

void BtfFree::operator()(struct btf* b) const { btf__free(b); }

Result<KernelBtf> load_kernel_btf() {
  KernelBtf btf(btf__load_vmlinux_btf());
  if (!btf)
    return Error{std::string("cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): ") + std::strerror(errno)};
  return btf;
}

}  // namespace etrace::capture
