// Library calls (ETRACE_REC_LIB_ENTER/EXIT, format 1.2) decoded through the
// whole pipeline from a capture's libraries block: typed by the prototypes
// the capture carries, strings from payload items, nested calls shown as
// strace shows them, JSON lines of kind "libcall".
#include <gtest/gtest.h>
#include <linux/types.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>

#include "decode/input/call_pairing.h"
#include "decode/input/record_parser.h"
#include "decode_helpers.h"

using namespace etrace::test;
using etrace::format::CopyOp;
using etrace::format::LibraryFunction;

namespace {

constexpr uint64_t kMalloc = 0x55d0c3a2b2a0, kFile = 0x55d0c3a2b6c0;
constexpr uint32_t kPid = 300;

enum Func : uint32_t { kStrlen, kMallocFn, kFopen, kGetenv, kFree, kFrobnicate };

CopyOp string_op(uint8_t arg, uint16_t flags = 0) {
  CopyOp op;
  op.kind = ETRACE_COPY_STRING;
  op.arg = arg;
  op.flags = flags;
  return op;
}

etrace::format::LibraryTable libc_table() {
  etrace::format::LibraryTable t;
  t.libraries.push_back({"/usr/lib/x86_64-linux-gnu/libc.so.6", "libc.so.6"});
  t.libraries.push_back({"/opt/lib/libfrob.so", ""});
  auto add = [&](uint32_t lib, const char* name, const char* proto, std::vector<CopyOp> ops) {
    t.functions.push_back(LibraryFunction{lib, name, 0x1000u * (t.functions.size() + 1), proto, std::move(ops)});
  };
  add(0, "strlen", "size_t strlen(string s)", {string_op(0)});
  add(0, "malloc", "ptr malloc(size_t size)", {});
  add(0, "fopen", "ptr fopen(string pathname, string mode)", {string_op(0), string_op(1)});
  add(0, "getenv", "string getenv(string name)", {string_op(0), string_op(ETRACE_ARG_RET, ETRACE_OP_AT_EXIT)});
  add(0, "free", "void free(ptr ptr)", {});
  add(1, "frobnicate", "", {});
  return t;
}

// A library record, laid out as the BPF side writes it: the fixed part,
// then payload items of (op, bytes).
std::vector<uint8_t> lib_record(bool enter, uint64_t ts, uint32_t func, uint32_t depth, uint64_t value,
                                const std::vector<std::pair<uint8_t, std::string>>& items = {}) {
  std::vector<uint8_t> b;
  auto put = [&](const void* p, size_t n) { b.insert(b.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n); };
  if (enter) {
    etrace_lib_enter r{};
    r.h = {ETRACE_REC_LIB_ENTER, 0, 0, ETRACE_NR_UNKNOWN, ts, kPid, kPid};
    r.func = func;
    r.depth = depth;
    r.args[0] = value;
    r.args[1] = 2;
    put(&r, sizeof(r));
  } else {
    etrace_lib_exit r{};
    r.h = {ETRACE_REC_LIB_EXIT, 0, 0, ETRACE_NR_UNKNOWN, ts, kPid, kPid};
    r.func = func;
    r.depth = depth;
    r.ret = static_cast<int64_t>(value);
    put(&r, sizeof(r));
  }
  for (const auto& [op, bytes] : items) {
    etrace_payload p{op, 0, static_cast<__u16>(bytes.size()), static_cast<__u32>(bytes.size())};
    put(&p, sizeof(p));
    put(bytes.data(), bytes.size());
    b.resize((b.size() + 7) & ~size_t{7}, 0);
  }
  const auto size = static_cast<__u16>(b.size());
  std::memcpy(b.data() + offsetof(etrace_header, size), &size, sizeof(size));
  return b;
}

CaptureBuilder library_capture() {
  CaptureBuilder b = standard_capture();
  b.extra_blocks.push_back({static_cast<uint32_t>(etrace::format::BlockType::kLibraries),
                            etrace::format::to_block_body(libc_table())});
  b.task(10, kPid, kPid, 1, "prog");
  b.raw_record(lib_record(true, 100, kStrlen, 0, 0x1000, {{0, "etrace"}}));
  b.raw_record(lib_record(false, 150, kStrlen, 0, 6));
  b.raw_record(lib_record(true, 200, kFopen, 0, 0x2000, {{0, "/etc/hostname"}, {1, "r"}}));
  b.raw_record(lib_record(true, 210, kMallocFn, 1, 472));
  b.raw_record(lib_record(false, 220, kMallocFn, 1, kMalloc));
  b.raw_record(lib_record(false, 300, kFopen, 0, kFile));
  b.raw_record(lib_record(true, 400, kGetenv, 0, 0x3000, {{0, "HOME"}}));
  b.raw_record(lib_record(false, 410, kGetenv, 0, 0x7ffd0000, {{1, "/root"}}));
  b.raw_record(lib_record(true, 500, kFree, 0, kMalloc));
  b.raw_record(lib_record(false, 510, kFree, 0, 0));
  b.raw_record(lib_record(true, 600, kFrobnicate, 0, 1));
  b.raw_record(lib_record(false, 610, kFrobnicate, 0, 42));
  return b;
}

TEST(LibraryCall, TextShowsPrototypedValuesAndNesting) {
  EXPECT_EQ(decode_text(library_capture()),
            "strlen(\"etrace\") = 6\n"
            "fopen(\"/etc/hostname\", \"r\" <unfinished ...>\n"
            "malloc(472) = 0x55d0c3a2b2a0\n"
            "<... fopen resumed>) = 0x55d0c3a2b6c0\n"
            "getenv(\"HOME\") = \"/root\"\n"
            "free(0x55d0c3a2b2a0) = <void>\n"
            "frobnicate(0x1, 0x2, 0, 0, 0, 0) = 0x2a\n");
}

TEST(LibraryCall, DurationsAsForSyscalls) {
  const std::string text = decode_text(library_capture(), etrace::decode::TextOptions{0, true, {}});
  EXPECT_NE(text.find("strlen(\"etrace\") = 6 <0.000000>\n"), std::string::npos) << text;
}

TEST(LibraryCall, JsonLinesOfKindLibcall) {
  std::istringstream lines(decode_json(library_capture()));
  std::vector<nlohmann::json> events;
  for (std::string line; std::getline(lines, line);) events.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(events.size(), 6u);
  const auto& strlen_call = events[0];
  EXPECT_EQ(strlen_call["kind"], "libcall");
  EXPECT_EQ(strlen_call["function"], "strlen");
  EXPECT_EQ(strlen_call["library"], "libc.so.6");
  EXPECT_EQ(strlen_call["args"], nlohmann::json({{"s", "etrace"}}));
  EXPECT_EQ(strlen_call["ret"], "6") << "size_t: 64 bits, a decimal string";
  EXPECT_EQ(strlen_call["duration_ns"], "50");
  EXPECT_FALSE(strlen_call.contains("syscall"));
  EXPECT_EQ(events[1]["function"], "malloc");  // lines are written as calls end
  EXPECT_EQ(events[1]["ret"], "0x55d0c3a2b2a0");
  EXPECT_EQ(events[2]["function"], "fopen");
  EXPECT_EQ(events[2]["args"], nlohmann::json({{"pathname", "/etc/hostname"}, {"mode", "r"}}));
  EXPECT_EQ(events[3]["ret"], "/root");
  EXPECT_TRUE(events[4]["ret"].is_null()) << "free returns void: " << events[4].dump();
  EXPECT_EQ(events[5]["library"], "libfrob.so") << "a library without a soname: its file name";
  EXPECT_EQ(events[5]["args"]["arg0"], "0x1");
}

TEST(LibraryCall, AReturnPairsWithItsFunctionsInnermostCall) {
  // f calls g, which longjmps out past f's caller frames; only f returns.
  using namespace etrace::decode;
  CallPairing pairing;
  std::vector<PairedEvent> out;
  RecordHeader h{0, ETRACE_NR_UNKNOWN, 1, kPid, kPid};
  pairing.feed(LibEnterRecord{h, 1, 0, {}, {}, {}}, out);
  pairing.feed(LibEnterRecord{h, 2, 1, {}, {}, {}}, out);
  pairing.feed(LibExitRecord{h, 1, 0, 5, {}, {}}, out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(std::get<CallEvent>(out[2]).phase, CallPhase::kUnfinished);
  EXPECT_EQ(std::get<CallEvent>(out[2]).call.function, 2u);
  EXPECT_EQ(std::get<CallEvent>(out[3]).phase, CallPhase::kCompleted);
  EXPECT_EQ(std::get<CallEvent>(out[3]).call.function, 1u);
  EXPECT_EQ(std::get<CallEvent>(out[3]).call.ret, 5);
}

TEST(LibraryCall, SyscallFilterLeavesLibraryCalls) {
  etrace::decode::EventFilter filter;
  filter.syscalls.insert(kOpenat);
  EXPECT_NE(decode_text(library_capture(), {}, filter).find("strlen(\"etrace\") = 6\n"), std::string::npos);
}

}  // namespace
