// The prototype grammar of library functions (format/lib_prototypes.h) and
// the file built into etrace (format/libc_prototypes.txt).
#include <gtest/gtest.h>

#include "catalog/lib_prototypes.h"
#include "tests/unit/error_of.h"

namespace etrace::catalog {
namespace {

TEST(LibPrototypes, TheBuiltInFileParsesWhole) {
  std::vector<std::string> errors;
  auto table = parse_prototypes(builtin_prototypes_text(), errors);
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(builtin_prototypes().size(), table.size());
  for (const char* name : {"strlen", "malloc", "free", "getenv", "fopen", "pthread_mutex_lock", "read"})
    EXPECT_TRUE(table.count(name)) << name;
}

TEST(LibPrototypes, TypesNamesAndOutputs) {
  auto p = parse_prototype("ssize_t read(int fd, out buf[ret] buf, size_t count)");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->name, "read");
  EXPECT_EQ(p->ret.type, LibType::kLong);
  ASSERT_EQ(p->params.size(), 3u);
  EXPECT_EQ(p->params[0].type, LibType::kInt);
  EXPECT_EQ(p->params[0].name, "fd");
  EXPECT_EQ(p->params[1].type, LibType::kBuffer);
  EXPECT_TRUE(p->params[1].out);
  EXPECT_TRUE(p->params[1].length_ret);
  EXPECT_EQ(p->params[2].type, LibType::kUlong);
  EXPECT_FALSE(p->variadic);
}

TEST(LibPrototypes, ABufferLengthNamesAnArgument) {
  auto p = parse_prototype("ptr memcpy(ptr dest, buf[n] src, size_t n)");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->params[1].length_arg, 2);
  EXPECT_EQ(test::error_of(parse_prototype("ptr memcpy(ptr dest, buf[len] src, size_t n)")), "buffer length 'len' names no argument");
}

TEST(LibPrototypes, UnnamedArgumentsAndVariadics) {
  auto p = parse_prototype("int printf(string, ...)");
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->params.size(), 1u);
  EXPECT_EQ(p->params[0].type, LibType::kString);
  EXPECT_EQ(p->params[0].name, "");
  EXPECT_TRUE(p->variadic);
  EXPECT_EQ(p->text(), "int printf(string, ...)");
  auto q = parse_prototype("void abort()");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_TRUE(q->params.empty());
}

TEST(LibPrototypes, TextIsTheNormalisedDeclaration) {
  auto p = parse_prototype("  size_t   strlen( string s )");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->text(), "ulong strlen(string s)");
  auto q = parse_prototype(p->text());
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->text(), p->text());
}

TEST(LibPrototypes, MistakesAreNamed) {
  EXPECT_EQ(test::error_of(parse_prototype("int f(float x)")), "unknown type 'float'");
  EXPECT_EQ(test::error_of(parse_prototype("int f(out int x)")), "only strings and buffers can be outputs");
  EXPECT_EQ(test::error_of(parse_prototype("int f(int a, int b, int c, int d, int e, int f, int g)")), "more than six arguments");
  EXPECT_FALSE(parse_prototype("strlen"));
  std::vector<std::string> errors;
  parse_prototypes("# comment\n\nint ok(int a)\nbad line\n", errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "line 4: not a declaration 'TYPE NAME(ARGUMENTS)'");
}

}  // namespace
}  // namespace etrace::catalog
