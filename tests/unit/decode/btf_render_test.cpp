// The generic BTF renderer, on test types whose BTF clang emitted into a
// BPF object (btf_fixture.bpf.c) and whose values the test sets itself.
#include <bpf/btf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "decode/values/btf_types.h"
#include "tests/unit/decode/btf_fixture_types.h"

namespace etrace::decode {
namespace {

std::string fixture_btf_bytes() {
  struct btf* b = btf__parse_elf(ETRACE_BTF_FIXTURE, nullptr);
  if (b == nullptr) return {};
  uint32_t size = 0;
  const void* raw = btf__raw_data(b, &size);
  std::string bytes(static_cast<const char*>(raw), size);
  btf__free(b);
  return bytes;
}

std::string_view bytes_of(const fixture_outer& o) { return {reinterpret_cast<const char*>(&o), sizeof(o)}; }

const Value* field(const Aggregate& a, std::string_view name) {
  for (const auto& f : a.fields) {
    if (f.name == name) return &f.value;
  }
  return nullptr;
}

template <typename T>
const T& get(const Value* v) {
  EXPECT_NE(v, nullptr);
  const T* t = std::get_if<T>(v);
  EXPECT_NE(t, nullptr);
  static const T empty{};
  return t ? *t : empty;
}

class BtfRenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = BtfTypes::from_bytes(fixture_btf_bytes());
    ASSERT_TRUE(r.ok()) << r.error().message;
    types_.emplace(std::move(*r));
    auto id = types_->find_type("fixture_outer");
    ASSERT_TRUE(id.has_value());
    outer_id_ = *id;

    std::memset(static_cast<void*>(&o_), 0, sizeof(o_));  // its const member forbids assignment
    o_.i = -5;
    o_.u = 4000000000u;
    o_.ll = -1234567890123LL;
    o_.in.s = -2;
    o_.in.u = 200;
    o_.un.word = 0x04030201;
    o_.a = 5;
    o_.b = 17;
    o_.c = -3;
    std::memcpy(o_.name, "abc\0zzzz", 8);
    o_.arr[0] = 1;
    o_.arr[1] = -2;
    o_.arr[2] = 3;
    o_.col = FIXTURE_GREEN;
    o_.p = reinterpret_cast<void*>(0x7ffd1234abcdULL);
    std::memcpy(const_cast<unsigned long*>(&o_.cv), "\x2a\0\0\0\0\0\0\0", 8);
    o_.anon_x = 77;
    o_.f = 1.5f;
  }

  std::optional<BtfTypes> types_;
  uint32_t outer_id_ = 0;
  fixture_outer o_{};
};

TEST_F(BtfRenderTest, SizesAndNamesComeFromTheBtf) {
  EXPECT_EQ(types_->size_of(outer_id_), sizeof(fixture_outer));
  EXPECT_EQ(types_->struct_name(outer_id_), "fixture_outer");
  // A typedef resolves to what it names; an unknown name is not found.
  auto cv = types_->find_type("fixture_cv_ulong");
  ASSERT_TRUE(cv.has_value());
  EXPECT_EQ(types_->size_of(*cv), 8u);
  EXPECT_FALSE(types_->find_type("no_such_type").has_value());
  auto m = types_->member(outer_id_, "anon_x");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->bit_offset / 8, offsetof(fixture_outer, anon_x));
}

TEST_F(BtfRenderTest, RendersEveryMemberKind) {
  const Value v = types_->render(outer_id_, bytes_of(o_));
  const auto& a = get<Aggregate>(&v);
  EXPECT_FALSE(a.elided);
  std::vector<std::string> names;
  for (const auto& f : a.fields) names.push_back(f.name);
  // The anonymous struct's member stands in its place, as C names it.
  EXPECT_EQ(names, (std::vector<std::string>{"i", "u", "ll", "in", "un", "a", "b", "c", "name", "arr", "col", "p",
                                             "cv", "anon_x", "f"}));

  EXPECT_EQ(get<SignedInt>(field(a, "i")).value, -5);
  EXPECT_EQ(get<UnsignedInt>(field(a, "u")).value, 4000000000u);
  EXPECT_EQ(get<SignedInt>(field(a, "ll")).value, -1234567890123LL);

  const auto& in = get<Aggregate>(field(a, "in"));
  EXPECT_EQ(get<SignedInt>(field(in, "s")).value, -2);
  EXPECT_EQ(get<UnsignedInt>(field(in, "u")).value, 200u);

  // A union shows every member over the same bytes.
  const auto& un = get<Aggregate>(field(a, "un"));
  EXPECT_EQ(get<UnsignedInt>(field(un, "word")).value, 0x04030201u);
  const auto& ub = get<List>(field(un, "bytes"));
  ASSERT_EQ(ub.items.size(), 4u);
  EXPECT_EQ(get<UnsignedInt>(&ub.items[0]).value, 1u);
  EXPECT_EQ(get<UnsignedInt>(&ub.items[3]).value, 4u);

  EXPECT_EQ(get<UnsignedInt>(field(a, "a")).value, 5u);
  EXPECT_EQ(get<UnsignedInt>(field(a, "b")).value, 17u);
  EXPECT_EQ(get<SignedInt>(field(a, "c")).value, -3);

  // char[8] is a string up to its NUL; what follows the NUL is not shown.
  const auto& name = get<Bytes>(field(a, "name"));
  EXPECT_EQ(name.data, "abc");
  EXPECT_EQ(name.full_length, 3u);
  EXPECT_FALSE(name.capture_cut);
  EXPECT_EQ(name.style, Bytes::Style::kString);

  const auto& arr = get<List>(field(a, "arr"));
  ASSERT_EQ(arr.items.size(), 3u);
  EXPECT_FALSE(arr.more);
  EXPECT_EQ(get<SignedInt>(&arr.items[1]).value, -2);

  const auto& col = get<Symbolic>(field(a, "col"));
  EXPECT_EQ(col.text, "FIXTURE_GREEN");
  EXPECT_EQ(col.raw, 2);

  EXPECT_EQ(get<Pointer>(field(a, "p")).address, 0x7ffd1234abcdULL);
  EXPECT_EQ(get<UnsignedInt>(field(a, "cv")).value, 42u);  // through typedef, const, volatile
  EXPECT_EQ(get<SignedInt>(field(a, "anon_x")).value, 77);

  // A kind the renderer does not interpret (float) is its bytes.
  const auto& f = get<Bytes>(field(a, "f"));
  EXPECT_EQ(f.style, Bytes::Style::kBuffer);
  EXPECT_EQ(f.data, std::string(reinterpret_cast<const char*>(&o_.f), sizeof(float)));
}

TEST_F(BtfRenderTest, NegativeEnumeratorFoundByItsBits) {
  o_.col = FIXTURE_BLACK;
  const Value v = types_->render(outer_id_, bytes_of(o_));
  EXPECT_EQ(get<Symbolic>(field(get<Aggregate>(&v), "col")).text, "FIXTURE_BLACK");
}

// Still symbolic, so that the member has one JSON shape: its text is the number.
TEST_F(BtfRenderTest, ValueWithoutEnumeratorIsANumber) {
  o_.col = static_cast<fixture_color>(9);
  const Value v = types_->render(outer_id_, bytes_of(o_));
  const auto& col = get<Symbolic>(field(get<Aggregate>(&v), "col"));
  EXPECT_EQ(col.raw, 9);
  EXPECT_EQ(col.text, "9");
}

TEST_F(BtfRenderTest, CharArrayWithoutNulIsAllOfIt) {
  std::memcpy(o_.name, "12345678", 8);
  const Value v = types_->render(outer_id_, bytes_of(o_));
  EXPECT_EQ(get<Bytes>(field(get<Aggregate>(&v), "name")).data, "12345678");
}

TEST_F(BtfRenderTest, ShortCopyKeepsWholeMembersOnlyAndSaysSo) {
  // Up to the end of `in` (offset 16, 4 bytes with padding): i, u, ll, in.
  const Value v = types_->render(outer_id_, bytes_of(o_).substr(0, offsetof(fixture_outer, un)));
  const auto& a = get<Aggregate>(&v);
  EXPECT_TRUE(a.elided);
  ASSERT_EQ(a.fields.size(), 4u);
  EXPECT_EQ(a.fields.back().name, "in");
  // One byte short of `arr`: arr and everything after it are left out.
  const Value w = types_->render(outer_id_, bytes_of(o_).substr(0, offsetof(fixture_outer, arr) + sizeof(o_.arr) - 1));
  const auto& b = get<Aggregate>(&w);
  EXPECT_TRUE(b.elided);
  EXPECT_EQ(b.fields.back().name, "name");
}

TEST_F(BtfRenderTest, EveryCutOfEveryTypeRendersWithoutReadingPastIt) {
  // Run under ASan by scripts/test.sh: a read past the copy would fail.
  // Every member is whole from `end` on (fixture_inner has a byte of tail
  // padding, which no member needs).
  const std::pair<std::string_view, size_t> types[] = {{"fixture_outer", sizeof(fixture_outer)},
                                                       {"fixture_inner", offsetof(fixture_inner, u) + 1},
                                                       {"fixture_both", sizeof(fixture_both)},
                                                       {"fixture_deep2", sizeof(fixture_deep2)}};
  const std::string full(bytes_of(o_));
  for (const auto& [type, end] : types) {
    const uint32_t id = *types_->find_type(type);
    for (size_t n = 0; n <= *types_->size_of(id); ++n) {
      const std::string cut = full.substr(0, n);
      const Value v = types_->render(id, cut);
      const auto* a = std::get_if<Aggregate>(&v);
      ASSERT_NE(a, nullptr);
      EXPECT_EQ(a->elided, n < end) << type << " cut at " << n;
    }
  }
}

TEST_F(BtfRenderTest, NestedStructsRenderLevelByLevel) {
  const fixture_deep2 d{{{123}}};
  const Value v = types_->render(*types_->find_type("fixture_deep2"),
                                 {reinterpret_cast<const char*>(&d), sizeof(d)});
  const auto& l1 = get<Aggregate>(field(get<Aggregate>(&v), "d"));
  const auto& l0 = get<Aggregate>(field(l1, "d"));
  EXPECT_EQ(get<SignedInt>(field(l0, "v")).value, 123);
}

TEST(BtfTypesLoad, GarbageIsAnErrorNotACrash) {
  EXPECT_FALSE(BtfTypes::from_bytes("").ok());
  auto r = BtfTypes::from_bytes("this is not BTF at all");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("BTF"), std::string::npos);
}

TEST(BtfTypesLoad, DamagedBtfIsRefusedOrStillSafeToRender) {
  const std::string good = fixture_btf_bytes();
  ASSERT_FALSE(good.empty());
  std::mt19937 rng(12345);
  const fixture_outer zero{};
  const std::string_view bytes(reinterpret_cast<const char*>(&zero), sizeof(zero));
  for (int round = 0; round < 300; ++round) {
    std::string bad = good;
    for (int k = 0; k < 4; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
    if (round % 10 == 0) bad.resize(rng() % bad.size());
    auto r = BtfTypes::from_bytes(bad);
    if (!r.ok()) continue;
    for (uint32_t id = 0; id < 40; ++id) {
      (void)r->size_of(id);
      (void)r->render(id, bytes);
    }
  }
}

}  // namespace
}  // namespace etrace::decode
