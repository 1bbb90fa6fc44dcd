// The functions a shared object exports, read from its ELF dynamic symbol
// table: what --list-libs counts and --lib chooses from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace etrace::capture {

struct ElfFunction {
  std::string name;
  uint64_t address = 0;  // st_value: the virtual address in the object
  uint64_t offset = 0;   // the same place as a file offset (what a uprobe names)
  bool ifunc = false;    // STT_GNU_IFUNC: `address` is the resolver, not the function
};

struct ElfExports {
  std::string soname;                  // DT_SONAME; empty when it has none
  std::vector<ElfFunction> functions;  // sorted by name, each name once
};

// Exported functions: STT_FUNC or STT_GNU_IFUNC, defined, global or weak,
// of default visibility. A name defined in several versions (memcpy@GLIBC_2.2.5
// and memcpy@@GLIBC_2.14) is listed once, at its default version.
// An error when `path` is not a readable ELF file.
Result<ElfExports> read_exported_functions(const std::string& path);

}  // namespace etrace::capture
