// The running kernel's BTF: the sizes and ids of the types copy plans name.
#pragma once

#include <memory>
#include "common/result.h"

struct btf;

namespace etrace::capture {

struct BtfFree {
  void operator()(struct btf* b) const;
};
using KernelBtf = std::unique_ptr<struct btf, BtfFree>;

// /sys/kernel/btf/vmlinux (never null), or why the kernel has none.
Result<KernelBtf> load_kernel_btf();

}  // namespace etrace::capture
