#include "capture/library_selection.h"

#include <dlfcn.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <optional>
#include <memory>
#include <tuple>

#include "capture/elf_functions.h"
#include "capture/mapped_files.h"
#include "catalog/lib_prototypes.h"

namespace etrace::capture {
namespace {

std::string base_name(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_file(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// A mapped file whose name or soname is `lib`, in one of `pids`.
Result<ResolvedLibrary> find_mapped(const std::string& lib, const std::vector<uint32_t>& pids) {
  for (uint32_t pid : pids) {
    auto maps = mapped_files(pid);
    if (!maps) return maps.error();
    const auto paths = distinct_paths(*maps);
    for (const auto& path : paths)
      if (base_name(path) == lib) return ResolvedLibrary{path, path_in(pid, path)};
    for (const auto& path : paths) {
      auto exports = read_exported_functions(path_in(pid, path));
      if (exports && exports->soname == lib) return ResolvedLibrary{path, path_in(pid, path)};
    }
  }
  return Error{"no process named with -p has " + lib + " mapped (etrace-capture --list-libs -p PID lists what it has)"};
}

// Where the dynamic linker would find `lib`: its cache, as `ldconfig -p`
// prints it ("\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6"),
// then the standard directories.
std::optional<std::string> find_installed(const std::string& lib) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen("/sbin/ldconfig -p 2>/dev/null", "r"), pclose);
  char line[4096];
  while (p && std::fgets(line, sizeof(line), p.get())) {
    const std::string s(line);
    const size_t arrow = s.find(" => ");
    const size_t name_at = s.find_first_not_of(" \t");
    if (arrow == std::string::npos || name_at == std::string::npos) continue;
    const std::string name = s.substr(name_at, s.find(' ', name_at) - name_at);
    const std::string path = s.substr(arrow + 4, s.find_last_not_of("\n") - arrow - 3);
    if (name == lib && s.find("x86-64") != std::string::npos && is_file(path)) return path;
  }
  for (const char* dir : {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"})
    if (is_file(std::string(dir) + "/" + lib)) return std::string(dir) + "/" + lib;
  return std::nullopt;
}

// Where an IFUNC's implementation starts, as a file offset of `path`. The
// resolver picks it by the CPU's features when the library is loaded, so
// it is asked here, in etrace-capture's own copy of the library: the same
// file on the same CPU chooses the same. Libraries etrace-capture has not
// loaded itself are not loaded for this (their constructors would run).
std::optional<uint64_t> ifunc_target(const std::string& path, const std::string& name) {
  void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
  if (!handle) return std::nullopt;
  const auto address = reinterpret_cast<uint64_t>(dlsym(handle, name.c_str()));
  dlclose(handle);
  struct stat st;
  auto maps = mapped_files(0);
  if (!address || !maps || stat(path.c_str(), &st) != 0) return std::nullopt;
  for (const auto& m : *maps)
    if (address >= m.start && address < m.end && m.inode == st.st_ino && m.device == st.st_dev)
      return address - m.start + m.offset;
  return std::nullopt;
}

bool has_glob(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

struct Candidate {
  std::string name;
  uint64_t offset = 0;
  bool named = false;  // named exactly, not by a glob
};

// Of several names at one address, the one to show: named exactly, with a
// prototype, fewer leading underscores (malloc over __libc_malloc), shorter.
bool better(const Candidate& a, const Candidate& b) {
  const auto& protos = catalog::builtin_prototypes();
  auto rank = [&](const Candidate& c) {
    return std::make_tuple(!c.named, !protos.count(c.name), c.name.find_first_not_of('_'), c.name.size(), c.name);
  };
  return rank(a) < rank(b);
}

// The functions left out because the kernel's uprobes would misread their
// first instruction, named (the first few), in one sentence.
std::string misread_warning(const std::string& path, const std::vector<std::string>& names) {
  std::string list;
  for (size_t i = 0; i < names.size() && i < 8; ++i) list += (i ? ", " : "") + names[i];
  if (names.size() > 8) list += ", ...";
  return "the kernel cannot probe " + std::to_string(names.size()) + " of the functions of " + path +
         " safely (their first instruction is AVX-encoded, and x86 uprobes would take it for a jump or call and "
         "skip it, corrupting the program), which are not traced: " + list;
}

// The exported functions of `lib` that `spec` names, each where its code
// starts; what leaves functions out goes to `warnings`.
std::vector<Candidate> matching_functions(const LibrarySpec& spec, const ResolvedLibrary& lib,
                                          const ElfExports& exports, std::vector<std::string>& warnings) {
  std::vector<Candidate> chosen;
  std::map<std::string, bool> pattern_used;
  size_t unresolved = 0;
  std::vector<std::string> misread;  // names, in order
  for (const auto& f : exports.functions) {
    Candidate c{f.name, f.offset, false};
    bool match = spec.patterns.empty();
    for (const auto& pattern : spec.patterns)
      if (fnmatch(pattern.c_str(), f.name.c_str(), 0) == 0) {
        match = true;
        pattern_used[pattern] = true;
        c.named = c.named || !has_glob(pattern);
      }
    if (!match) continue;
    if (f.ifunc) {
      auto target = ifunc_target(lib.open_path, f.name);
      if (!target) {
        ++unresolved;
        continue;
      }
      c.offset = *target;
    }
    if (const auto code = code_at(lib.open_path, c.offset); uprobe_misreads_instruction(code.data(), code.size())) {
      misread.push_back(c.name);
      continue;
    }
    chosen.push_back(std::move(c));
  }
  for (const auto& pattern : spec.patterns)
    if (!pattern_used[pattern]) warnings.push_back(lib.path + " exports no function matching " + pattern);
  if (!misread.empty()) warnings.push_back(misread_warning(lib.path, misread));
  if (unresolved)
    warnings.push_back(std::to_string(unresolved) + " functions of " + lib.path +
                       " choose their code at run time (IFUNC) and are not traced: etrace-capture found no "
                       "code of theirs in its own copy of the library");
  return chosen;
}

// One probe per address, under the best of its names.
std::map<uint64_t, Candidate> one_per_address(const std::vector<Candidate>& chosen) {
  std::map<uint64_t, Candidate> by_offset;
  for (const auto& c : chosen) {
    auto [it, fresh] = by_offset.try_emplace(c.offset, c);
    if (!fresh && better(c, it->second)) it->second = c;
  }
  return by_offset;
}

// The functions of library `library`, with their prototypes and copy plans,
// into `table` in the order of their names.
void add_functions(const std::map<uint64_t, Candidate>& by_offset, uint32_t library, format::LibraryTable& table) {
  const auto& protos = catalog::builtin_prototypes();
  std::map<std::string, format::LibraryFunction> by_name;
  for (const auto& [offset, c] : by_offset) {
    format::LibraryFunction f;
    f.library = library;
    f.name = c.name;
    f.offset = offset;
    if (auto p = protos.find(c.name); p != protos.end()) {
      f.prototype = p->second.text();
      f.ops = library_copy_ops(p->second);
    }
    by_name[c.name] = std::move(f);
  }
  for (auto& [name, f] : by_name) table.functions.push_back(std::move(f));
}

}  // namespace

Result<std::vector<MappedLibrary>> list_mapped_libraries(uint32_t pid) {
  auto maps = mapped_files(pid);
  if (!maps) return maps.error();
  std::vector<MappedLibrary> out;
  for (const auto& path : distinct_paths(*maps)) {
    // Data files mapped by the process (locale archives, caches) are not ELF files, and not listed.
    if (auto exports = read_exported_functions(path_in(pid, path)))
      out.push_back({path, exports->soname, exports->functions.size()});
  }
  return out;
}

Result<LibrarySpec> parse_library_spec(const std::string& text) {
  LibrarySpec spec;
  const size_t colon = text.find(':');
  spec.library = text.substr(0, colon);
  if (spec.library.empty())
    return Error{"--lib needs a library before its functions: LIB or LIB:FUNC,FUNC (got '" + text + "')"};
  if (colon == std::string::npos) return spec;
  std::string rest = text.substr(colon + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    const size_t comma = rest.find(',', start);
    std::string name = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name.empty()) return Error{"--lib " + text + " has an empty function name"};
    spec.patterns.push_back(std::move(name));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return spec;
}

Result<ResolvedLibrary> resolve_library(const std::string& lib, const std::vector<uint32_t>& pids) {
  if (lib.find('/') != std::string::npos) {
    if (!is_file(lib)) return Error{"no library file " + lib};
    return ResolvedLibrary{lib, lib};
  }
  if (!pids.empty()) return find_mapped(lib, pids);
  if (auto path = find_installed(lib)) return ResolvedLibrary{*path, *path};
  return Error{"cannot find library " + lib +
               " (not in the dynamic linker's cache or the standard directories); give its path"};
}

Result<LibrarySelection> select_library_functions(const std::vector<LibrarySpec>& specs,
                                                  const std::vector<uint32_t>& pids,
                                                  std::vector<std::string>& warnings) {
  LibrarySelection out;
  for (const auto& spec : specs) {
    auto lib = resolve_library(spec.library, pids);
    if (!lib) return lib.error();
    auto exports = read_exported_functions(lib->open_path);
    if (!exports) return exports.error();
    const auto by_offset = one_per_address(matching_functions(spec, *lib, *exports, warnings));
    if (by_offset.empty()) continue;
    out.table.libraries.push_back({lib->path, exports->soname});
    out.open_paths.push_back(lib->open_path);
    add_functions(by_offset, static_cast<uint32_t>(out.table.libraries.size() - 1), out.table);
  }
  if (out.table.functions.empty()) return Error{"--lib chose no function to trace"};
  return out;
}

}  // namespace etrace::capture
