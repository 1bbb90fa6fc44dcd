#include <gtest/gtest.h>

#include "decode/values/c_type.h"

using namespace etrace::decode;

namespace {

struct Expect {
  const char* type;
  int width;
  bool is_signed;
  bool is_pointer;
  bool known;
};

}  // namespace

TEST(CType, Classification) {
  const Expect cases[] = {
      {"int", 4, true, false, true},
      {"const int", 4, true, false, true},
      {"unsigned int", 4, false, false, true},
      {"unsigned", 4, false, false, true},
      {"unsigned long", 8, false, false, true},
      {"long", 8, true, false, true},
      {"size_t", 8, false, false, true},
      {"const size_t", 8, false, false, true},
      {"loff_t", 8, true, false, true},
      {"off_t", 8, true, false, true},
      {"umode_t", 2, false, false, true},
      {"pid_t", 4, true, false, true},
      {"uid_t", 4, false, false, true},
      {"gid_t", 4, false, false, true},
      {"key_serial_t", 4, true, false, true},
      {"key_t", 4, true, false, true},
      {"clockid_t", 4, true, false, true},
      {"const clockid_t", 4, true, false, true},
      {"timer_t", 4, true, false, true},
      {"mqd_t", 4, true, false, true},
      {"qid_t", 4, false, false, true},
      {"rwf_t", 4, true, false, true},
      {"u32", 4, false, false, true},
      {"const __u32", 4, false, false, true},
      {"u64", 8, false, false, true},
      {"__u64", 8, false, false, true},
      {"__s32", 4, true, false, true},
      {"aio_context_t", 8, false, false, true},
      {"unsigned char", 1, false, false, true},
      {"char", 1, true, false, true},
      {"const enum landlock_rule_type", 4, false, false, true},
      {"cap_user_header_t", 8, false, true, true},
      {"const cap_user_data_t", 8, false, true, true},
      {"const char *", 8, false, true, true},
      {"char *", 8, false, true, true},
      {"const char *const *", 8, false, true, true},
      {"struct stat *", 8, false, true, true},
      {"struct robust_list_head * *", 8, false, true, true},
      {"const void *const", 8, false, true, true},
      {"u32 *", 8, false, true, true},
      {"aio_context_t *", 8, false, true, true},
      // Unknown types are 8-byte unsigned, shown in hex.
      {"struct sigaction", 8, false, false, false},
      {"__kernel_mystery_t", 8, false, false, false},
      {"", 8, false, false, false},
  };
  for (const auto& c : cases) {
    CType t = classify_c_type(c.type);
    EXPECT_EQ(t.width, c.width) << c.type;
    EXPECT_EQ(t.is_signed, c.is_signed) << c.type;
    EXPECT_EQ(t.is_pointer, c.is_pointer) << c.type;
    EXPECT_EQ(t.known, c.known) << c.type;
  }
}

TEST(CType, IntDfdIsMinus100WhetherOrNotTheRegisterIsSignExtended) {
  CType t = classify_c_type("int");
  for (uint64_t reg : {0xffffffffffffff9cull, 0x00000000ffffff9cull, 0x12345678ffffff9cull}) {
    Value v = value_from_register(t, reg);
    ASSERT_TRUE(std::holds_alternative<SignedInt>(v));
    EXPECT_EQ(std::get<SignedInt>(v).value, -100) << std::hex << reg;
  }
}

TEST(CType, WidthAndSignedness) {
  auto as_unsigned = [](const char* type, uint64_t reg) {
    Value v = value_from_register(classify_c_type(type), reg);
    EXPECT_TRUE(std::holds_alternative<UnsignedInt>(v)) << type;
    return std::holds_alternative<UnsignedInt>(v) ? std::get<UnsignedInt>(v).value : 0;
  };
  auto as_signed = [](const char* type, uint64_t reg) {
    Value v = value_from_register(classify_c_type(type), reg);
    EXPECT_TRUE(std::holds_alternative<SignedInt>(v)) << type;
    return std::holds_alternative<SignedInt>(v) ? std::get<SignedInt>(v).value : 0;
  };
  EXPECT_EQ(as_unsigned("unsigned int", 0xffffffffffffffffull), 4294967295u);
  EXPECT_EQ(as_unsigned("unsigned int", 0x100000003ull), 3u);
  EXPECT_EQ(as_unsigned("umode_t", 0x101a4ull), 0x1a4u);
  EXPECT_EQ(as_unsigned("unsigned long", 0xffffffffffffff9cull), 18446744073709551516ull);
  EXPECT_EQ(as_unsigned("unsigned char", 0x1ff), 255u);
  EXPECT_EQ(as_signed("long", 0xffffffffffffff9cull), -100);
  EXPECT_EQ(as_signed("loff_t", 0x8000000000000000ull), INT64_MIN);
  EXPECT_EQ(as_signed("pid_t", 0xffffffffull), -1);
  EXPECT_EQ(as_signed("int", 0x7fffffffull), 2147483647);
  EXPECT_EQ(as_signed("char", 0xffull), -1);
  EXPECT_EQ(as_signed("short", 0x8000ull), -32768);
}

TEST(CType, PointersAndUnknownKeepAllBits) {
  Value p = value_from_register(classify_c_type("const char *"), 0x7ffd1234abcdull);
  ASSERT_TRUE(std::holds_alternative<Pointer>(p));
  EXPECT_EQ(std::get<Pointer>(p).address, 0x7ffd1234abcdull);
  Value u = value_from_register(classify_c_type("struct mystery"), 0xffffffffffffff9cull);
  ASSERT_TRUE(std::holds_alternative<RawHex>(u));
  EXPECT_EQ(std::get<RawHex>(u).bits, 0xffffffffffffff9cull);
}
