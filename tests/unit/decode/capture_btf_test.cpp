// A capture's copy plans against its own BTF: an op whose type id the BTF
// lacks is shown as an address, and said (issue 14 item 6; it used to fall
// back silently).
#include <bpf/btf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "decode/input/capture_btf.h"
#include "decode/input/capture_file.h"
#include "format/metadata.h"
#include "format/records.h"
#include "tests/unit/decode/btf_fixture_types.h"
#include "tests/unit/decode/capture_builder.h"
#include "tests/unit/decode/decoder_run.h"

namespace etrace::decode {
namespace {

constexpr uint16_t kStat = 4;
constexpr uint64_t kStatBuf = 0x7ffd00002000ull;

std::vector<uint8_t> fixture_btf() {
  struct btf* b = btf__parse_elf(ETRACE_BTF_FIXTURE, nullptr);
  if (b == nullptr) return {};
  uint32_t size = 0;
  const auto* raw = static_cast<const uint8_t*>(btf__raw_data(b, &size));
  std::vector<uint8_t> bytes(raw, raw + size);
  btf__free(b);
  return bytes;
}

// stat(path, statbuf) whose statbuf was copied at exit as a fixture_outer
// of BTF type `btf_id`.
std::string stat_capture(uint32_t btf_id) {
  test::CaptureBuilder b;
  b.table.names[kStat] = "stat";
  b.table.events[kStat] = "newstat";
  for (const char* side : {"sys_enter_", "sys_exit_"})
    b.formats.formats[std::string(side) + "newstat"] = test::fixture(std::string(side) + "newstat.format");
  format::CopyPlans plans;
  plans.syscalls[kStat] = {format::CopyOp{ETRACE_COPY_BYTES, 1, ETRACE_LEN_FIXED, 0, ETRACE_OP_AT_EXIT,
                                          sizeof(fixture_outer), "fixture_outer", btf_id, 0, ""}};
  b.extra_blocks.push_back({static_cast<uint32_t>(format::BlockType::kCopyPlans), format::to_block_body(plans)});
  b.extra_blocks.push_back({static_cast<uint32_t>(format::BlockType::kBtf), fixture_btf()});
  b.enter(1000, 100, 100, kStat, {0x7ffd00001000ull, kStatBuf, 0, 0, 0, 0});
  struct {
    etrace_sys_exit exit;
    etrace_payload item;
    fixture_outer statbuf;
  } r{};
  static_assert(sizeof(r) % 8 == 0);
  r.exit.h = {ETRACE_REC_SYS_EXIT, sizeof(r), 0, kStat, 2000, 100, 100};
  r.item = {0, 0, sizeof(r.statbuf), sizeof(r.statbuf)};
  r.statbuf.i = -5;
  std::vector<uint8_t> bytes(sizeof(r));
  std::memcpy(bytes.data(), &r, sizeof(r));
  b.raw_record(bytes);
  return b.build();
}

uint32_t fixture_outer_id() {
  const std::vector<uint8_t> raw = fixture_btf();
  auto btf = BtfTypes::from_bytes(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
  return btf ? btf->find_type("fixture_outer").value_or(0) : 0;
}

struct Checked {
  format::CopyPlans plans;
  std::vector<std::string> problems;
};

Checked check(const std::string& file) {
  std::istringstream in(file);
  CaptureFile capture(in);
  EXPECT_TRUE(capture.open());
  Checked c{capture.copy_plans().value_or(format::CopyPlans{}), {}};
  auto btf = btf_for_capture(capture, "", c.plans, c.problems);
  EXPECT_TRUE(btf && *btf);
  return c;
}

TEST(CaptureBtf, TypeIdsItHasAreKept) {
  const uint32_t id = fixture_outer_id();
  ASSERT_NE(id, 0u);
  const Checked c = check(stat_capture(id));
  EXPECT_EQ(c.problems, std::vector<std::string>{});
  EXPECT_EQ(c.plans.syscalls.at(kStat).front().btf_id, id);
}

TEST(CaptureBtf, ATypeIdItLacksIsDroppedAndSaid) {
  const Checked c = check(stat_capture(99999));
  EXPECT_EQ(c.problems, std::vector<std::string>{"the capture's copy plans name 1 type its BTF does not have (stat's "
                                                 "type 99999 (fixture_outer)): those arguments are shown as addresses"});
  EXPECT_EQ(c.plans.syscalls.at(kStat).front().btf_id, 0u);
}

TEST(CaptureBtf, TheDecoderWarnsAndShowsTheAddress) {
  const test::DecoderRun good = test::run_decoder(stat_capture(fixture_outer_id()), "");
  EXPECT_EQ(good.status, 0) << good.err;
  EXPECT_NE(good.out.find("{i=-5, "), std::string::npos) << good.out;

  const test::DecoderRun bad = test::run_decoder(stat_capture(99999), "");
  EXPECT_EQ(bad.status, 0) << bad.err;
  EXPECT_EQ(bad.out, "stat(0x7ffd00001000, 0x7ffd00002000) = 0\n");
  EXPECT_EQ(bad.err, "etrace-decode: warning: the capture's copy plans name 1 type its BTF does not have (stat's type "
                     "99999 (fixture_outer)): those arguments are shown as addresses\n");
}

}  // namespace
}  // namespace etrace::decode
