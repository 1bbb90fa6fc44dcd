// Choosing library functions for --lib: the ELF reader on the C library
// this test runs with, --lib's syntax, finding a library by soname, and
// the copy plans prototypes give.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <linux/types.h>
#include <unistd.h>

#include <algorithm>

#include "bpf/map_layouts.h"
#include "capture/copy_plan.h"
#include "capture/elf_functions.h"
#include "capture/library_selection.h"
#include "capture/mapped_files.h"
#include "format/records.h"
#include "tests/unit/error_of.h"

namespace etrace::capture {
namespace {

using etrace::test::error_of;

// The C library this process runs with, as its maps name it.
std::string own_libc() {
  auto maps = mapped_files(0);
  if (!maps) return "";
  for (const auto& path : distinct_paths(*maps))
    if (path.ends_with("/libc.so.6")) return path;
  return "";
}

const ElfFunction* find(const ElfExports& e, const std::string& name) {
  auto it = std::find_if(e.functions.begin(), e.functions.end(), [&](const ElfFunction& f) { return f.name == name; });
  return it == e.functions.end() ? nullptr : &*it;
}

TEST(ElfFunctions, TheCLibraryExportsItsFunctionsOnceEach) {
  const std::string libc = own_libc();
  ASSERT_FALSE(libc.empty());
  auto e = read_exported_functions(libc);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->soname, "libc.so.6");
  EXPECT_GT(e->functions.size(), 1000u);
  // memcpy has two versions (GLIBC_2.2.5 and GLIBC_2.14): listed once.
  EXPECT_EQ(std::count_if(e->functions.begin(), e->functions.end(), [](const ElfFunction& f) { return f.name == "memcpy"; }), 1);
  // strlen is chosen by CPU features at load time.
  ASSERT_TRUE(find(*e, "strlen"));
  EXPECT_TRUE(find(*e, "strlen")->ifunc);
  // Data symbols (environ, stdout) are not functions.
  EXPECT_FALSE(find(*e, "environ"));
  EXPECT_FALSE(find(*e, "stdout"));
}

TEST(ElfFunctions, AFunctionsOffsetIsWhereThisProcessRunsIt) {
  const std::string libc = own_libc();
  auto e = read_exported_functions(libc);
  ASSERT_TRUE(e) << e.error().message;
  const ElfFunction* malloc_fn = find(*e, "malloc");
  ASSERT_TRUE(malloc_fn);
  EXPECT_FALSE(malloc_fn->ifunc);
  // Where the dynamic linker put libc's own malloc in this process, as a file
  // offset (looked up in libc itself: under ASan, RTLD_DEFAULT finds ASan's).
  void* self = dlopen(libc.c_str(), RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(self, nullptr) << dlerror();
  const auto address = reinterpret_cast<uint64_t>(dlsym(self, "malloc"));
  dlclose(self);
  auto maps = mapped_files(0);
  ASSERT_TRUE(maps) << maps.error().message;
  auto m = std::find_if(maps->begin(), maps->end(), [&](const MappedFile& f) { return address >= f.start && address < f.end; });
  ASSERT_NE(m, maps->end());
  EXPECT_EQ(m->path, libc);
  EXPECT_EQ(malloc_fn->offset, address - m->start + m->offset);
}

TEST(ElfFunctions, AFileThatIsNotElfIsAnError) {
  EXPECT_EQ(error_of(read_exported_functions("/proc/self/status")), "/proc/self/status is not an ELF file");
  EXPECT_EQ(error_of(read_exported_functions("/nonexistent/libx.so")),
            "cannot open /nonexistent/libx.so: No such file or directory");
}

TEST(LibrarySpec, ALibraryAndItsFunctions) {
  auto all = parse_library_spec("libc.so.6");
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->library, "libc.so.6");
  EXPECT_TRUE(all->patterns.empty());
  auto some = parse_library_spec("/lib/x86_64-linux-gnu/libc.so.6:str*,malloc");
  ASSERT_TRUE(some) << some.error().message;
  EXPECT_EQ(some->library, "/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(some->patterns, (std::vector<std::string>{"str*", "malloc"}));
  EXPECT_FALSE(parse_library_spec(":malloc"));
  EXPECT_EQ(error_of(parse_library_spec("libc.so.6:malloc,,free")),
            "--lib libc.so.6:malloc,,free has an empty function name");
}

TEST(LibrarySpec, ASonameIsFoundInAProcessAndByTheDynamicLinker) {
  auto mapped = resolve_library("libc.so.6", {static_cast<uint32_t>(getpid())});
  ASSERT_TRUE(mapped) << mapped.error().message;
  EXPECT_EQ(mapped->path, own_libc());
  auto installed = resolve_library("libc.so.6", {});
  ASSERT_TRUE(installed) << installed.error().message;
  auto exports = read_exported_functions(installed->open_path);
  ASSERT_TRUE(exports) << exports.error().message;
  EXPECT_EQ(exports->soname, "libc.so.6");
  EXPECT_FALSE(resolve_library("libetrace-none.so.9", {}));
}

TEST(LibrarySelection, GlobsChooseAndAliasesAreProbedOnce) {
  std::vector<std::string> warnings;
  auto sel = select_library_functions({LibrarySpec{"libc.so.6", {"getenv", "nosuchfunction*"}}},
                                      {static_cast<uint32_t>(getpid())}, warnings);
  ASSERT_TRUE(sel) << sel.error().message;
  ASSERT_EQ(sel->table.functions.size(), 1u);
  EXPECT_EQ(sel->table.functions[0].name, "getenv");
  EXPECT_EQ(sel->table.functions[0].prototype, "string getenv(string name)");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], own_libc() + " exports no function matching nosuchfunction*");
  // Every function of the table has an address of its own.
  auto all = select_library_functions({LibrarySpec{"libc.so.6", {"mem*", "str*"}}}, {}, warnings);
  ASSERT_TRUE(all) << all.error().message;
  std::vector<uint64_t> offsets;
  for (const auto& f : all->table.functions) offsets.push_back(f.offset);
  std::sort(offsets.begin(), offsets.end());
  EXPECT_EQ(std::adjacent_find(offsets.begin(), offsets.end()), offsets.end());
}

// x86 uprobes read the opcode after a VEX or EVEX prefix as a one-byte
// opcode of its own: a jcc, call, jmp or ret there is emulated or fixed up
// as one, and the instruction is not run.
TEST(UprobeInstructions, AvxInstructionsWhoseOpcodeLooksLikeABranchAreMisread) {
  auto misread = [](std::vector<uint8_t> code) { return uprobe_misreads_instruction(code.data(), code.size()); };
  EXPECT_TRUE(misread({0x62, 0xe2, 0x7d, 0x28, 0x7a, 0xce}));  // vpbroadcastb %esi,%ymm17 (__strchr_evex): jp
  EXPECT_TRUE(misread({0xc5, 0xf9, 0x74, 0xc0}));              // vpcmpeqb %xmm0,%xmm0,%xmm0: je
  EXPECT_TRUE(misread({0xc4, 0xe2, 0x7d, 0x78, 0xc0}));        // vpbroadcastb %xmm0,%ymm0: js
  EXPECT_TRUE(misread({0xc5, 0xf8, 0x77}));                    // vzeroupper: ja
  EXPECT_TRUE(misread({0xc5, 0xf9, 0xe8, 0xc1}));              // vpsubsb: call
  EXPECT_TRUE(misread({0xc5, 0xfd, 0xeb, 0xc1}));              // vpor: jmp
  EXPECT_TRUE(misread({0xc5, 0xf8, 0xc2, 0xc1, 0x00}));        // vcmpeqps: ret imm16
  EXPECT_FALSE(misread({0x89, 0xf8}));                         // mov %edi,%eax (__strlen_evex)
  EXPECT_FALSE(misread({0x62, 0xa1, 0xfd, 0x00, 0xef, 0xc0}));  // vpxorq %xmm16,%xmm16,%xmm16
  EXPECT_FALSE(misread({0xc5, 0xfe, 0x6f, 0x0f}));             // vmovdqu (%rdi),%ymm1
  EXPECT_FALSE(misread({0xf3, 0x0f, 0x1e, 0xfa}));             // endbr64
  EXPECT_FALSE(misread({0x74, 0x05}));                         // je itself: emulated rightly
  EXPECT_FALSE(misread({0xc5, 0xf9}));                         // cut short
  EXPECT_FALSE(misread({}));
}

// The functions chosen are never ones whose first instruction would be
// misread; those left out are named in a warning. On a CPU where glibc
// picks __strchr_evex, strchr is one of them.
TEST(LibrarySelection, FunctionsWhoseFirstInstructionUprobesMisreadAreLeftOutAndNamed) {
  std::vector<std::string> warnings;
  auto sel = select_library_functions({LibrarySpec{"libc.so.6", {"str*", "mem*"}}}, {}, warnings);
  ASSERT_TRUE(sel) << sel.error().message;
  for (const auto& f : sel->table.functions) {
    const auto code = code_at(sel->open_paths.at(f.library), f.offset);
    EXPECT_FALSE(code.empty()) << f.name;
    EXPECT_FALSE(uprobe_misreads_instruction(code.data(), code.size())) << f.name;
  }
  // libc's own strchr, as the IFUNC resolves it here (RTLD_DEFAULT would
  // find a sanitizer's interceptor first).
  void* libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
  ASSERT_NE(libc, nullptr);
  const auto* strchr_code = reinterpret_cast<const uint8_t*>(dlsym(libc, "strchr"));
  ASSERT_NE(strchr_code, nullptr);
  const bool chosen = std::any_of(sel->table.functions.begin(), sel->table.functions.end(),
                                  [](const auto& f) { return f.name == "strchr"; });
  const bool named = std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
    return w.rfind("the kernel cannot probe ", 0) == 0 && w.find("strchr") != std::string::npos;
  });
  if (uprobe_misreads_instruction(strchr_code, 15)) {
    EXPECT_FALSE(chosen);
    EXPECT_TRUE(named) << ::testing::PrintToString(warnings);
  } else {
    EXPECT_TRUE(chosen);
    EXPECT_FALSE(named) << ::testing::PrintToString(warnings);
  }
}

TEST(LibraryCopyOps, StringsAtEntryOutputsAndReturnedStringsAtReturn) {
  auto getenv_proto = catalog::parse_prototype("string getenv(string name)");
  ASSERT_TRUE(getenv_proto) << getenv_proto.error().message;
  auto ops = library_copy_ops(*getenv_proto);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].kind, ETRACE_COPY_STRING);
  EXPECT_EQ(ops[0].arg, 0);
  EXPECT_EQ(ops[0].flags, 0);
  EXPECT_EQ(ops[1].arg, ETRACE_ARG_RET);
  EXPECT_EQ(ops[1].flags, ETRACE_OP_AT_EXIT);

  auto read_proto = catalog::parse_prototype("ssize_t read(int fd, out buf[ret] buf, size_t count)");
  ASSERT_TRUE(read_proto) << read_proto.error().message;
  ops = library_copy_ops(*read_proto);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, ETRACE_COPY_BYTES);
  EXPECT_EQ(ops[0].arg, 1);
  EXPECT_EQ(ops[0].len_source, ETRACE_LEN_RET);
  EXPECT_EQ(ops[0].flags, ETRACE_OP_AT_EXIT);

  auto memcpy_proto = catalog::parse_prototype("ptr memcpy(ptr dest, buf[n] src, size_t n)");
  ASSERT_TRUE(memcpy_proto) << memcpy_proto.error().message;
  ops = library_copy_ops(*memcpy_proto);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].len_source, ETRACE_LEN_ARG);
  EXPECT_EQ(ops[0].len_arg, 2);
  EXPECT_EQ(ops[0].flags, 0);

  format::LibraryFunction free_fn{0, "free", 0, "void free(ptr ptr)", {}};
  EXPECT_EQ(library_kernel_config(free_fn).flags, ETRACE_SC_TRACE | ETRACE_SC_RET_VOID);
}

}  // namespace
}  // namespace etrace::capture
