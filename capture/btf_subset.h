// The BTF a capture carries: only the types its copy plans name and the
// types those hold by value, a few kilobytes instead of the kernel's
// several megabytes (which every rotated file would repeat). Pointers become
// void pointers: the decoder shows them as addresses, and following them
// would pull in most of the kernel.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "format/metadata.h"

struct btf;

namespace etrace::capture {

// Rewrites the plans' btf_id to the subset's ids. An error when libbpf
// cannot build it.
Result<std::vector<uint8_t>> btf_subset(const struct btf* kernel, format::CopyPlans& plans);

}  // namespace etrace::capture
