// Payload items after a syscall record's fixed part (format/FORMAT.md,
// "Payload items"): parsed in order, and refused when their lengths lie.
#include <gtest/gtest.h>
#include <linux/types.h>

#include <cstring>
#include <vector>

#include "decode/input/record_parser.h"
#include "format/records.h"

namespace etrace::decode {
namespace {

// A record image built field by field, the way the BPF side lays it out.
class RecordBytes {
 public:
  template <typename T>
  void put(const T& v) {
    const size_t at = bytes_.size();
    bytes_.resize(at + sizeof(T));
    std::memcpy(bytes_.data() + at, &v, sizeof(T));
  }
  void item(uint8_t op, uint8_t flags, const std::string& data, uint32_t full_len) {
    etrace_payload p{op, flags, static_cast<__u16>(data.size()), full_len};
    put(p);
    const size_t at = bytes_.size();
    bytes_.resize(at + data.size());
    std::memcpy(bytes_.data() + at, data.data(), data.size());
    bytes_.resize((bytes_.size() + 7) & ~size_t{7}, 0);
  }
  std::vector<uint8_t>& finish() {
    const auto size = static_cast<__u16>(bytes_.size());
    std::memcpy(bytes_.data() + offsetof(etrace_header, size), &size, sizeof(size));
    return bytes_;
  }

 private:
  std::vector<uint8_t> bytes_;
};

RecordBytes enter_record() {
  etrace_sys_enter r{};
  r.h.type = ETRACE_REC_SYS_ENTER;
  r.h.nr = 257;
  r.args[1] = 0x1000;
  RecordBytes b;
  b.put(r);
  return b;
}

TEST(PayloadRecord, ItemsFollowTheFixedPartInOrder) {
  RecordBytes b = enter_record();
  b.item(0, 0, "/etc/hostname", 13);
  b.item(1, ETRACE_PAYLOAD_CUT, std::string(256, 'x'), 777);
  b.item(2, ETRACE_PAYLOAD_FAULT, "", 0);
  auto parsed = parse_record(b.finish());
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& r = std::get<SysEnterRecord>(**parsed);
  EXPECT_EQ(r.args[1], 0x1000u);
  ASSERT_EQ(r.payloads.size(), 3u);
  EXPECT_EQ(r.payloads[0].bytes, "/etc/hostname");
  EXPECT_EQ(r.payloads[0].full_len, 13u);
  EXPECT_EQ(r.payloads[1].op, 1);
  EXPECT_EQ(r.payloads[1].flags, ETRACE_PAYLOAD_CUT);
  EXPECT_EQ(r.payloads[1].bytes.size(), 256u);
  EXPECT_EQ(r.payloads[1].full_len, 777u);
  EXPECT_EQ(r.payloads[2].flags, ETRACE_PAYLOAD_FAULT);
  EXPECT_TRUE(r.payloads[2].bytes.empty());
}

TEST(PayloadRecord, ExitRecordsCarryOutputs) {
  etrace_sys_exit r{};
  r.h.type = ETRACE_REC_SYS_EXIT;
  r.ret = 5;
  RecordBytes b;
  b.put(r);
  b.item(0, 0, "hello", 5);
  auto parsed = parse_record(b.finish());
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& e = std::get<SysExitRecord>(**parsed);
  EXPECT_EQ(e.ret, 5);
  ASSERT_EQ(e.payloads.size(), 1u);
  EXPECT_EQ(e.payloads[0].bytes, "hello");
}

TEST(PayloadRecord, AnItemLongerThanItsRecordIsDroppedAndSaidSo) {
  RecordBytes b = enter_record();
  b.item(0, 0, "abcdefgh", 8);
  auto& bytes = b.finish();
  // Claim 200 bytes where 8 are.
  const __u16 lie = 200;
  std::memcpy(bytes.data() + sizeof(etrace_sys_enter) + offsetof(etrace_payload, len), &lie, sizeof(lie));
  auto parsed = parse_record(bytes);
  ASSERT_TRUE(parsed) << "the fixed part stands";
  const auto& r = std::get<SysEnterRecord>(**parsed);
  EXPECT_TRUE(r.payloads.empty());
  EXPECT_NE(r.payload_error.find("payload item"), std::string::npos) << r.payload_error;
  EXPECT_EQ(r.args[1], 0x1000u);
}

TEST(PayloadRecord, AnItemHeaderCutByTheRecordEndIsDroppedAndSaidSo) {
  RecordBytes b = enter_record();
  auto& bytes = b.finish();
  bytes.resize(bytes.size() + 4, 0);  // half an item header
  const auto size = static_cast<__u16>(bytes.size());
  std::memcpy(bytes.data() + offsetof(etrace_header, size), &size, sizeof(size));
  auto parsed = parse_record(bytes);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(std::get<SysEnterRecord>(**parsed).payload_error.empty());
}

TEST(PayloadRecord, RecordsWithoutItemsHaveNone) {
  RecordBytes b = enter_record();
  auto parsed = parse_record(b.finish());
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(std::get<SysEnterRecord>(**parsed).payloads.empty());
}

}  // namespace
}  // namespace etrace::decode
