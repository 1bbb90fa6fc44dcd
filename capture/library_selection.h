// From --lib LIB[:FUNC,...] to the functions to probe: the library's file,
// its exported functions chosen by name or glob, the place each one's code
// starts, and its prototype and copy plan.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "capture/copy_plan.h"
#include "common/result.h"
#include "format/metadata.h"

namespace etrace::capture {

// --list-libs: one mapped ELF file of a process.
struct MappedLibrary {
  std::string path;
  std::string soname;
  size_t functions = 0;  // exported functions (elf_functions.h)
};

// The ELF files process `pid` has mapped, in the order first mapped.
Result<std::vector<MappedLibrary>> list_mapped_libraries(uint32_t pid);

struct LibrarySpec {
  std::string library;                // a path, or a soname such as libc.so.6
  std::vector<std::string> patterns;  // function names or fnmatch globs; empty: every exported function
};

// "libc.so.6:str*,malloc"; an error when malformed.
Result<LibrarySpec> parse_library_spec(const std::string& text);

struct ResolvedLibrary {
  std::string path;       // as the traced processes see it (into the capture file)
  std::string open_path;  // where this process opens it (through /proc/PID/root)
};

// The file LIB names. A path is taken as it is; a soname or file name is
// looked up among the files processes `pids` have mapped or, with no pids
// (run-a-command mode), where the dynamic linker finds it: its cache
// (ldconfig -p), then the standard directories.
Result<ResolvedLibrary> resolve_library(const std::string& lib, const std::vector<uint32_t>& pids);

struct LibrarySelection {
  format::LibraryTable table;
  std::vector<std::string> open_paths;  // of table.libraries, as ResolvedLibrary::open_path
};

// The functions the specs choose, each with its prototype (built in) and
// copy plan. Functions sharing an address (aliases such as memcpy and
// memmove's common implementation) are probed once, under one name.
// Problems that leave functions out go to `warnings`; choosing nothing at
// all is an error.
Result<LibrarySelection> select_library_functions(const std::vector<LibrarySpec>& specs,
                                                  const std::vector<uint32_t>& pids,
                                                  std::vector<std::string>& warnings);

}  // namespace etrace::capture
