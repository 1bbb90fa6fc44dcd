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

// Whether x86-64 uprobes would run the instruction at `code` (n bytes of
// it; 15 suffice) as something else: the kernel's uprobe analysis
// (arch/x86/kernel/uprobes.c) reads the opcode byte after a VEX (c4, c5)
// or EVEX (62) prefix as a legacy one-byte opcode, whatever its map, and
// emulates or fixes up a "branch" instead of stepping over the instruction.
// vpbroadcastb %esi,%ymm17 (62 e2 7d 28 7a ce, the first instruction of
// glibc's __strchr_evex) is taken for jp and skipped; vpcmpeqb (c5 f9 74)
// for je; vpsubsb (c5 .. e8) for a call. Such a probe corrupts the program.
bool uprobe_misreads_instruction(const uint8_t* code, size_t n);

// The first bytes of the code at file offset `offset` of `path` (up to 15;
// fewer at the end of the file, none when it cannot be read).
std::vector<uint8_t> code_at(const std::string& path, uint64_t offset);

}  // namespace etrace::capture
