#include "capture/elf_functions.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <optional>

namespace etrace::capture {
namespace {

// The .gnu.version entry of a symbol that is not its name's default version.
constexpr uint16_t kVersymHidden = 0x8000;

struct ElfFile {
  int fd = -1;
  Elf* elf = nullptr;
  ~ElfFile() {
    if (elf) elf_end(elf);
    if (fd >= 0) close(fd);
  }
};

struct Load {
  uint64_t vaddr, size, offset;
};

// A virtual address as a file offset, through the segment that maps it.
std::optional<uint64_t> file_offset(const std::vector<Load>& loads, uint64_t vaddr) {
  for (const auto& l : loads)
    if (vaddr >= l.vaddr && vaddr < l.vaddr + l.size) return vaddr - l.vaddr + l.offset;
  return std::nullopt;
}

bool exported(const GElf_Sym& sym) {
  const int type = GELF_ST_TYPE(sym.st_info);
  const int bind = GELF_ST_BIND(sym.st_info);
  return (type == STT_FUNC || type == STT_GNU_IFUNC) && sym.st_shndx != SHN_UNDEF && sym.st_value != 0 &&
         (bind == STB_GLOBAL || bind == STB_WEAK) && GELF_ST_VISIBILITY(sym.st_other) == STV_DEFAULT;
}

// The loadable segments: where each part of the file is mapped.
std::vector<Load> loads_of(Elf* elf) {
  std::vector<Load> loads;
  size_t phnum = 0;
  elf_getphdrnum(elf, &phnum);
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf, static_cast<int>(i), &ph) && ph.p_type == PT_LOAD)
      loads.push_back({ph.p_vaddr, ph.p_filesz, ph.p_offset});
  }
  return loads;
}

// The sections exports are read from.
struct DynamicSections {
  Elf_Scn* dynsym = nullptr;  // null: nothing exported
  GElf_Shdr dynsym_hdr{};
  Elf_Data* versyms = nullptr;
  std::string soname;
};

DynamicSections dynamic_sections(Elf* elf) {
  DynamicSections out;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) continue;
    if (sh.sh_type == SHT_DYNSYM) {
      out.dynsym = scn;
      out.dynsym_hdr = sh;
    } else if (sh.sh_type == SHT_GNU_versym) {
      out.versyms = elf_getdata(scn, nullptr);
    } else if (sh.sh_type == SHT_DYNAMIC) {
      Elf_Data* data = elf_getdata(scn, nullptr);
      for (size_t i = 0; data && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize; ++i) {
        GElf_Dyn dyn;
        if (gelf_getdyn(data, static_cast<int>(i), &dyn) && dyn.d_tag == DT_SONAME)
          if (const char* name = elf_strptr(elf, sh.sh_link, dyn.d_un.d_val)) out.soname = name;
      }
    }
  }
  return out;
}

// The exported functions of the dynamic symbol table, by name, each at its
// default version.
std::vector<ElfFunction> exported_functions(Elf* elf, const DynamicSections& sections, const std::vector<Load>& loads) {
  // name -> (function, is its default version)
  std::map<std::string, std::pair<ElfFunction, bool>> by_name;
  Elf_Data* syms = elf_getdata(sections.dynsym, nullptr);
  const GElf_Shdr& hdr = sections.dynsym_hdr;
  const size_t count = hdr.sh_entsize ? hdr.sh_size / hdr.sh_entsize : 0;
  for (size_t i = 0; syms && i < count; ++i) {
    GElf_Sym sym;
    if (!gelf_getsym(syms, static_cast<int>(i), &sym) || !exported(sym)) continue;
    const char* name = elf_strptr(elf, hdr.sh_link, sym.st_name);
    auto offset = file_offset(loads, sym.st_value);
    if (!name || !*name || !offset) continue;
    GElf_Versym ver = 0;
    const bool is_default =
        !sections.versyms || !gelf_getversym(sections.versyms, static_cast<int>(i), &ver) || !(ver & kVersymHidden);
    auto [it, fresh] = by_name.try_emplace(name);
    if (!fresh && (it->second.second || !is_default)) continue;  // keep the default version
    it->second = {ElfFunction{name, sym.st_value, *offset, GELF_ST_TYPE(sym.st_info) == STT_GNU_IFUNC}, is_default};
  }
  std::vector<ElfFunction> out;
  for (auto& [name, entry] : by_name) out.push_back(std::move(entry.first));
  return out;
}

}  // namespace

Result<ElfExports> read_exported_functions(const std::string& path) {
  elf_version(EV_CURRENT);
  ElfFile f;
  f.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) return Error{"cannot open " + path + ": " + std::strerror(errno)};
  f.elf = elf_begin(f.fd, ELF_C_READ_MMAP, nullptr);
  GElf_Ehdr ehdr;
  if (!f.elf || elf_kind(f.elf) != ELF_K_ELF || !gelf_getehdr(f.elf, &ehdr)) return Error{path + " is not an ELF file"};
  const DynamicSections sections = dynamic_sections(f.elf);
  ElfExports out;
  out.soname = sections.soname;
  if (sections.dynsym) out.functions = exported_functions(f.elf, sections, loads_of(f.elf));
  return out;
}

bool uprobe_misreads_instruction(const uint8_t* code, size_t n) {
  size_t at = 0;
  if (n >= 1 && code[0] == 0xc5) at = 2;       // VEX, 2 bytes
  else if (n >= 1 && code[0] == 0xc4) at = 3;  // VEX, 3 bytes
  else if (n >= 1 && code[0] == 0x62) at = 4;  // EVEX (BOUND is invalid in 64-bit mode)
  if (!at || at >= n) return false;
  const uint8_t op = code[at];
  // What the kernel takes the opcode for: jcc rel8, call, jmp and nop (emulated);
  // far call, popf, ret, far jmp, indirect call and jmp (fixed up after the step).
  if (op >= 0x70 && op <= 0x7f) return true;
  switch (op) {
    case 0x90: case 0x9a: case 0x9d: case 0xc2: case 0xc3: case 0xca: case 0xcb:
    case 0xe8: case 0xe9: case 0xea: case 0xeb: case 0xff:
      return true;
    default:
      return false;
  }
}

std::vector<uint8_t> code_at(const std::string& path, uint64_t offset) {
  std::vector<uint8_t> out(15);
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  const ssize_t got = pread(fd, out.data(), out.size(), static_cast<off_t>(offset));
  close(fd);
  out.resize(got > 0 ? static_cast<size_t>(got) : 0);
  return out;
}

}  // namespace etrace::capture
