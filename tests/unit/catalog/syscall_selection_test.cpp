// -s NAME, %CLASS, !NAME, !%CLASS, comma lists: one rule for both tools.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "catalog/syscall_selection.h"
#include "tests/unit/error_of.h"

namespace {

using namespace etrace::catalog;

// x86-64 numbers.
etrace::format::SyscallTable small_table() {
  etrace::format::SyscallTable t;
  t.names = {{0, "read"}, {1, "write"}, {2, "open"},   {3, "close"},        {4, "stat"},
             {5, "fstat"}, {6, "lstat"}, {137, "statfs"}, {138, "fstatfs"}, {257, "openat"},
             {262, "newfstatat"}, {332, "statx"}, {39, "getpid"}, {41, "socket"}};
  return t;
}

std::vector<uint32_t> select(const std::vector<std::string>& terms) {
  auto nrs = select_syscalls(small_table(), all_semantics(), terms);
  EXPECT_TRUE(nrs) << nrs.error().message;
  return nrs ? *nrs : std::vector<uint32_t>{};
}

std::string error_of(const std::vector<std::string>& terms) {
  auto nrs = select_syscalls(small_table(), all_semantics(), terms);
  EXPECT_FALSE(nrs);
  return etrace::test::error_of(nrs);
}

using Nrs = std::vector<uint32_t>;

TEST(SyscallSelection, NamesRepeatedOrCommaSeparated) {
  EXPECT_EQ(select({"openat", "close"}), (Nrs{3, 257}));
  EXPECT_EQ(select({"openat,close"}), (Nrs{3, 257}));
  EXPECT_EQ(select({"openat,close", "openat"}), (Nrs{3, 257}));
}

TEST(SyscallSelection, NoTermsIsEverything) { EXPECT_EQ(select({}).size(), small_table().names.size()); }

// Class members as `strace -e trace=%CLASS` shows them (strace 6.1).
TEST(SyscallSelection, ClassesAsStraceHasThem) {
  EXPECT_EQ(select({"%file"}), (Nrs{2, 4, 6, 137, 257, 262, 332}));
  EXPECT_EQ(select({"%desc"}), (Nrs{0, 1, 2, 3, 5, 138, 257, 262, 332}));
  EXPECT_EQ(select({"%net"}), (Nrs{41}));
  EXPECT_EQ(select({"%network"}), (Nrs{41}));
  EXPECT_EQ(select({"%stat"}), (Nrs{4}));
  EXPECT_EQ(select({"%lstat"}), (Nrs{6}));
  EXPECT_EQ(select({"%fstat"}), (Nrs{5, 262, 332}));
  EXPECT_EQ(select({"%%stat"}), (Nrs{4, 5, 6, 262, 332}));
  EXPECT_EQ(select({"%%statfs"}), (Nrs{137, 138}));
  EXPECT_EQ(select({"%pure"}), (Nrs{39}));
  EXPECT_EQ(select({"%net,getpid"}), (Nrs{39, 41}));
}

TEST(SyscallSelection, ExclusionsAloneStartFromEverything) {
  Nrs all_but_close;
  for (const auto& [nr, name] : small_table().names)
    if (name != "close") all_but_close.push_back(nr);
  EXPECT_EQ(select({"!close"}), all_but_close);
  EXPECT_EQ(select({"!%desc", "!%file"}), (Nrs{39, 41}));
}

TEST(SyscallSelection, ExclusionsApplyAfterInclusionsWhateverTheOrder) {
  EXPECT_EQ(select({"%desc,!%file"}), (Nrs{0, 1, 3, 5, 138}));
  EXPECT_EQ(select({"!%file", "%desc"}), (Nrs{0, 1, 3, 5, 138}));
  EXPECT_EQ(select({"%%stat", "!statx"}), (Nrs{4, 5, 6, 262}));
}

TEST(SyscallSelection, UnknownClassListsTheKnownOnes) {
  const std::string e = error_of({"%files"});
  EXPECT_EQ(e.find("unknown syscall class '%files' (known: %file, %desc, "), 0u) << e;
  EXPECT_NE(e.find("%net,"), std::string::npos) << e;
  EXPECT_NE(e.find("%%stat"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << "one sentence";
  EXPECT_NE(error_of({"!%bogus"}).find("unknown syscall class '%bogus'"), std::string::npos);
}

TEST(SyscallSelection, UnknownNameSuggestsAndNamesTheList) {
  const std::string e = error_of({"openat,opne"});
  EXPECT_EQ(e.find("unknown syscall 'opne' (closest: "), 0u) << e;
  EXPECT_NE(e.find("open"), std::string::npos) << e;
  EXPECT_NE(e.find("in 'openat,opne'"), std::string::npos) << e;
  EXPECT_EQ(error_of({"opne"}).find(" in '"), std::string::npos) << "a lone name is not repeated";
}

TEST(SyscallSelection, EmptyTermsAndEmptySelectionsAreErrors) {
  EXPECT_NE(error_of({"openat,,close"}).find("empty syscall name"), std::string::npos);
  EXPECT_NE(error_of({""}).find("empty syscall name"), std::string::npos);
  EXPECT_NE(error_of({"!"}).find("empty syscall name"), std::string::npos);
  EXPECT_EQ(error_of({"%file", "!%file"}), "'%file !%file' selects no syscall");
  EXPECT_EQ(error_of({"%ipc"}), "'%ipc' selects no syscall") << "no SysV IPC call in this table";
}

}  // namespace
