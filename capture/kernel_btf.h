// The running kernel's BTF: the sizes and ids of the types copy plans name.
#pragma once

#include <memory>
#include <string>

struct btf;

namespace etrace::capture {

struct BtfFree {
  void operator()(struct btf* b) const;
};
using KernelBtf = std::unique_ptr<struct btf, BtfFree>;

// /sys/kernel/btf/vmlinux; null with `error` set when the kernel has none.
KernelBtf load_kernel_btf(std::string& error);

}  // namespace etrace::capture
