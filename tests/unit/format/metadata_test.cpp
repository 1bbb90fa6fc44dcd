// The JSON metadata blocks: bodies written by older and newer writers, and
// bodies that are not the JSON they should be.
#include <gtest/gtest.h>
#include <linux/types.h>

#include <functional>

#include "format/metadata.h"
#include "format/records.h"
#include "support.h"

namespace etrace::format {
namespace {

using test::bytes_of;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Each parse function, with the block name its errors must carry.
struct Parser {
  const char* block;
  std::function<std::string(std::span<const uint8_t>)> error;  // "" when the body parses
};

std::vector<Parser> parsers() {
  return {
      {"host", [](auto b) { return test::error_of(host_info_from(b)); }},
      {"capture", [](auto b) { return test::error_of(capture_info_from(b)); }},
      {"syscall table", [](auto b) { return test::error_of(syscall_table_from(b)); }},
      {"tracepoint formats", [](auto b) { return test::error_of(tracepoint_formats_from(b)); }},
      {"statistics", [](auto b) { return test::error_of(capture_stats_from(b)); }},
      {"copy plans", [](auto b) { return test::error_of(copy_plans_from(b)); }},
  };
}

TEST(Metadata, MalformedJsonIsRefusedWithASentenceNamingTheBlock) {
  const std::vector<std::string> bodies = {
      "",
      "{",
      "{\"hostname\": \"a\",}",
      "[]",
      "42",
      "\"a string\"",
      "null",
      "{} trailing",
      std::string("{\"hostname\": \"\xff\xfe\"}"),  // not UTF-8
      std::string("{\0}", 3),
  };
  for (const auto& p : parsers()) {
    for (const auto& body : bodies) {
      SCOPED_TRACE(std::string(p.block) + " <- " + body);
      const std::string err = p.error(bytes_of(body));
      EXPECT_TRUE(contains(err, std::string("the capture's ") + p.block + " block is malformed")) << err;
    }
  }
}

TEST(Metadata, MembersOfTheWrongTypeAreRefused) {
  struct Case {
    const char* block;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"host", R"({"hostname": 5})"},
      {"host", R"({"cpus": "twelve"})"},
      {"capture", R"({"argv": "etrace-capture -p 1"})"},
      {"capture", R"({"pids": [1, "two"]})"},
      {"capture", R"({"follow": "yes"})"},
      {"syscall table", R"({"syscalls": [{"nr": "zero", "name": "read"}]})"},
      {"syscall table", R"({"syscalls": [{"nr": 0}]})"},
      {"syscall table", R"({"syscalls": 7})"},
      {"tracepoint formats", R"({"formats": ["sys_enter_read"]})"},
      {"tracepoint formats", R"({"formats": {"sys_enter_read": 1}})"},
      {"statistics", R"({"syscalls": [{"written": 1}]})"},
      {"statistics", R"({"cpus": [{"cpu": "zero"}]})"},
      {"statistics", R"({"command_status": "exited"})"},
      {"statistics", R"({"process_records": {"written": "many"}})"},
      // Numbers that no integer of the member can be.
      {"capture", R"({"realtime_offset_ns": 1.79532e+104})"},
      {"capture", R"({"start_ns": -1})"},
      {"capture", R"({"pids": [1, 2.5]})"},
      {"host", R"({"cpus": 4294967296})"},
      {"syscall table", R"({"syscalls": [{"nr": -1, "name": "read"}]})"},
      {"statistics", R"({"command_status": 1e300})"},
      {"statistics", R"({"cpus": [{"cpu": 0, "lost": -5}]})"},
      {"copy plans", R"({"syscalls": [{"nr": 0, "ops": [{"kind": 256, "arg": 0}]}]})"},
      {"copy plans", R"({"syscalls": [{"nr": 0, "ops": [{"kind": 1, "arg": 0, "btf_id": 1.5}]}]})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    for (const auto& p : parsers()) {
      if (std::string(p.block) != c.block) continue;
      const std::string err = p.error(bytes_of(c.body));
      EXPECT_TRUE(contains(err, std::string("the capture's ") + c.block + " block is malformed")) << err;
    }
  }
}

// nlohmann casts any number to the integer asked for: a float past its
// range was undefined behaviour (found by fuzz_decode_pipeline), a negative
// number a huge one. The refusals are among MembersOfTheWrongTypeAreRefused.
TEST(Metadata, NumbersNoMemberCanHoldAreSaidToBeSo) {
  EXPECT_TRUE(contains(test::error_of(capture_info_from(bytes_of(R"({"realtime_offset_ns": 1.79532e+104})"))),
                       "(1.79532e+104 where an integer from -9223372036854775808 to 9223372036854775807 belongs)"));
  auto capture = capture_info_from(bytes_of(R"({"realtime_offset_ns": -5, "start_ns": 18446744073709551615})"));
  ASSERT_TRUE(capture);
  EXPECT_EQ(capture->realtime_offset_ns, -5);
  EXPECT_EQ(capture->start_ns, UINT64_MAX);
}

TEST(Metadata, MissingMembersTakeTheirDefaults) {
  auto h = host_info_from(bytes_of("{}"));
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->hostname, "");
  EXPECT_EQ(h->cpus, 0u);

  auto c = capture_info_from(bytes_of(R"({"etrace_version": "0.0.9"})"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->etrace_version, "0.0.9");
  EXPECT_TRUE(c->follow);  // the documented default
  EXPECT_TRUE(c->pids.empty());
  EXPECT_EQ(c->realtime_offset_ns, 0);

  auto s = capture_stats_from(bytes_of("{}"));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->total_written(), 0u);
  EXPECT_FALSE(s->command_status);

  auto t = syscall_table_from(bytes_of(R"({"syscalls": []})"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_TRUE(t->names.empty());
  EXPECT_EQ(t->source, "");
}

TEST(Metadata, UnknownMembersOfNewerWritersAreIgnored) {
  auto h = host_info_from(bytes_of(R"({"hostname": "a", "numa_nodes": [0, 1], "cpus": 3})"));
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->hostname, "a");
  EXPECT_EQ(h->cpus, 3u);

  auto t = syscall_table_from(
      bytes_of(R"({"abi": "x64", "syscalls": [{"nr": 2, "name": "open", "entry": "sys_open"}]})"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->names.at(2), "open");

  auto s = capture_stats_from(
      bytes_of(R"({"end_ns": 5, "syscalls": [{"nr": 1, "written": 4, "lost": 1, "bytes": 99}], "extra": {}})"));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->end_ns, 5u);
  EXPECT_EQ(s->syscalls.at(1).written, 4u);
  EXPECT_EQ(s->total_lost(), 1u);

  auto f = tracepoint_formats_from(bytes_of(R"({"formats": {"a": "b"}, "kernel": "6.1"})"));
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->formats.at("a"), "b");
}

TEST(Metadata, TotalsAreSumsOfSyscallsAndProcessRecords) {
  CaptureStats s;
  s.syscalls[0] = {10, 1};
  s.syscalls[1] = {20, 2};
  s.process_records = {5, 4};
  EXPECT_EQ(s.total_written(), 35u);
  EXPECT_EQ(s.total_lost(), 7u);
  CaptureStats none;
  EXPECT_EQ(none.total_written(), 0u);
  EXPECT_EQ(none.total_lost(), 0u);
}

TEST(Metadata, BytesThatAreNotUtf8AreReplacedNotThrown) {
  // Host names and argv are bytes; writing them must not throw, and the
  // body must parse back (with the bad bytes replaced).
  HostInfo h;
  h.hostname = "caf\xe9";  // Latin-1
  CaptureInfo c;
  c.argv = {"etrace-capture", "\xff\xfe"};
  std::vector<uint8_t> hb, cb;
  ASSERT_NO_THROW(hb = to_block_body(h));
  ASSERT_NO_THROW(cb = to_block_body(c));
  auto h2 = host_info_from(hb);
  ASSERT_TRUE(h2) << h2.error().message;
  EXPECT_EQ(h2->hostname.substr(0, 3), "caf");
  EXPECT_NE(h2->hostname, h.hostname);
  auto c2 = capture_info_from(cb);
  ASSERT_TRUE(c2) << c2.error().message;
  ASSERT_EQ(c2->argv.size(), 2u);
  EXPECT_EQ(c2->argv[0], "etrace-capture");
}

TEST(Metadata, BodiesAreJsonObjectsWithTheDocumentedMemberNames) {
  // Readers in other languages depend on these names.
  const std::string host = test::string_of(to_block_body(HostInfo{"n", "r", "v", "m", 1, 2}));
  for (const char* key : {"\"hostname\"", "\"kernel_release\"", "\"kernel_version\"", "\"machine\"", "\"page_size\"",
                          "\"cpus\""})
    EXPECT_TRUE(contains(host, key)) << key << " in " << host;
  CaptureStats s;
  s.syscalls[3] = {1, 0};
  s.command_status = 0;
  const std::string stats = test::string_of(to_block_body(s));
  for (const char* key : {"\"end_ns\"", "\"stop_reason\"", "\"syscalls\"", "\"process_records\"", "\"cpus\"",
                          "\"command_status\"", "\"total_written\"", "\"total_lost\""})
    EXPECT_TRUE(contains(stats, key)) << key << " in " << stats;
}

TEST(Metadata, CopyPlansComeBackAsWritten) {
  CopyPlans p;
  p.bytes_cap = 256;
  p.string_cap = 4096;
  p.syscalls[0] = {CopyOp{2, 1, 2, 0, 1, 1, "", 0, 0, ""}};                       // read: bytes out, bounded by ret
  p.syscalls[5] = {CopyOp{2, 1, 0, 0, 3, 144, "stat", 1234, 0, ""}};               // fstat: a whole struct at exit
  p.syscalls[43] = {CopyOp{2, 2, 0, 0, 2, 4, "", 0, 0, ""}, CopyOp{2, 2, 0, 0, 3, 4, "", 0, 0, ""},
                    CopyOp{2, 1, 3, 2, 3, 1, "", 0, 0, ""}};                       // accept: value-result length
  p.syscalls[15] = {CopyOp{2, 7, 0, 0, 0, 8, "", 0, -8, ""}};               // a mask below the stack pointer
  auto back = copy_plans_from(to_block_body(p));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->bytes_cap, 256u);
  EXPECT_EQ(back->string_cap, 4096u);
  ASSERT_EQ(back->syscalls.size(), 4u);
  EXPECT_EQ(back->syscalls.at(15).at(0).arg, 7);
  EXPECT_EQ(back->syscalls.at(15).at(0).offset, -8);
  EXPECT_EQ(back->syscalls.at(0).at(0).offset, 0) << "absent, as in files before 1.3";
  const CopyOp& st = back->syscalls.at(5).at(0);
  EXPECT_EQ(st.kind, 2);
  EXPECT_EQ(st.arg, 1);
  EXPECT_EQ(st.flags, 3);
  EXPECT_EQ(st.size, 144u);
  EXPECT_EQ(st.type, "stat");
  EXPECT_EQ(st.btf_id, 1234u);
  const CopyOp& len = back->syscalls.at(43).at(2);
  EXPECT_EQ(len.len_source, 3);
  EXPECT_EQ(len.len_arg, 2);
  EXPECT_TRUE(back->syscalls.at(0).at(0).type.empty());
}

TEST(Metadata, CommandPlansComeBackAsWritten) {
  CopyPlans p;
  p.syscalls[16] = {CopyOp{2, 2, 0, 0, 0, 8, "", 0, 0, ""}};
  CommandPlans& ioctl = p.commands[16];
  ioctl.arg = 1;
  ioctl.mask = 0xffffffff;
  ioctl.plans[0x5401] = {CopyOp{2, 2, 0, 0, 3, 36, "termios", 77, 0, ""}};
  ioctl.plans[0x5413] = {};
  // bpf has commands and no plan of its own: its entry has empty ops.
  p.commands[321].arg = 0;
  p.commands[321].mask = 0xffffffff;
  p.commands[321].plans[5] = {CopyOp{1, 1, 0, 0, ETRACE_OP_INDIRECT, 0, "", 0, 32, "license"}};
  auto back = copy_plans_from(to_block_body(p));
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->commands.size(), 2u);
  EXPECT_EQ(back->commands.at(16).arg, 1);
  EXPECT_EQ(back->commands.at(16).mask, 0xffffffffu);
  EXPECT_EQ(back->commands.at(16).plans.at(0x5401).at(0).type, "termios");
  EXPECT_TRUE(back->commands.at(16).plans.at(0x5413).empty());
  EXPECT_EQ(back->syscalls.at(16).size(), 1u);
  EXPECT_TRUE(back->syscalls.at(321).empty());
  const CopyOp& license = back->commands.at(321).plans.at(5).at(0);
  EXPECT_EQ(license.offset, 32);
  EXPECT_EQ(license.member, "license");
}

TEST(Metadata, CopyPlansWithoutCommandsAreReadAsBefore) {
  // A 1.3 writer's block: no command members.
  const std::string body = R"({"bytes_cap": 256, "string_cap": 4096, "syscalls": [{"nr": 16, "ops": []}]})";
  auto back = copy_plans_from({reinterpret_cast<const uint8_t*>(body.data()), body.size()});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->commands.empty());
  EXPECT_TRUE(back->syscalls.count(16));
}

TEST(Metadata, ACommandArgumentPastTheSixIsRefused) {
  const std::string body =
      R"({"syscalls": [{"nr": 16, "ops": [], "command_arg": 6, "command_mask": 1, "commands": []}]})";
  EXPECT_FALSE(copy_plans_from({reinterpret_cast<const uint8_t*>(body.data()), body.size()}));
}

TEST(Metadata, CopyPlanMembersHaveTheDocumentedNames) {
  CopyPlans p;
  p.syscalls[5] = {CopyOp{2, 1, 0, 0, 3, 144, "stat", 1234, 0, ""}};
  p.syscalls[15] = {CopyOp{2, 7, 0, 0, 0, 8, "", 0, 296, ""}};
  const std::string body = test::string_of(to_block_body(p));
  for (const char* key : {"\"bytes_cap\"", "\"string_cap\"", "\"syscalls\"", "\"nr\"", "\"ops\"", "\"kind\"",
                          "\"arg\"", "\"len_source\"", "\"len_arg\"", "\"flags\"", "\"size\"", "\"type\"",
                          "\"btf_id\"", "\"offset\""})
    EXPECT_TRUE(contains(body, key)) << key << " in " << body;
}

TEST(Metadata, LibrariesComeBackAsWritten) {
  LibraryTable t;
  t.libraries.push_back({"/usr/lib/x86_64-linux-gnu/libc.so.6", "libc.so.6"});
  t.libraries.push_back({"/opt/libfrob.so", ""});
  t.functions.push_back({0, "getenv", 0x4a2f0, "string getenv(string name)",
                         {CopyOp{1, 0, 0, 0, 0, 0, "", 0, 0, ""}, CopyOp{1, 6, 0, 0, 1, 0, "", 0, 0, ""}}});
  t.functions.push_back({1, "frob", 0x1130, "", {}});
  const std::string body = test::string_of(to_block_body(t));
  for (const char* key : {"\"libraries\"", "\"path\"", "\"soname\"", "\"functions\"", "\"library\"", "\"name\"",
                          "\"offset\"", "\"prototype\"", "\"ops\""})
    EXPECT_TRUE(contains(body, key)) << key << " in " << body;
  auto back = library_table_from(to_block_body(t));
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->libraries.size(), 2u);
  EXPECT_EQ(back->libraries[0].soname, "libc.so.6");
  ASSERT_EQ(back->functions.size(), 2u);
  const LibraryFunction& g = back->functions[0];
  EXPECT_EQ(g.name, "getenv");
  EXPECT_EQ(g.offset, 0x4a2f0u);
  EXPECT_EQ(g.prototype, "string getenv(string name)");
  ASSERT_EQ(g.ops.size(), 2u);
  EXPECT_EQ(g.ops[1].arg, 6);
  EXPECT_EQ(g.ops[1].flags, 1);
  EXPECT_EQ(back->functions[1].library, 1u);
  EXPECT_EQ(back->functions[1].prototype, "");
}

TEST(Metadata, AFunctionOfAnUnlistedLibraryIsRefused) {
  const std::string body = R"({"libraries": [], "functions": [{"library": 0, "name": "f"}]})";
  const std::string err =
      test::error_of(library_table_from({reinterpret_cast<const uint8_t*>(body.data()), body.size()}));
  EXPECT_NE(err.find("names a library that is not listed"), std::string::npos) << err;
}

TEST(Metadata, LibraryCallCountsAreInTheTotals) {
  CaptureStats s;
  s.syscalls[0] = {10, 1};
  s.functions[3] = {4, 2};
  s.process_records = {5, 0};
  auto back = capture_stats_from(to_block_body(s));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->functions.at(3).written, 4u);
  EXPECT_EQ(back->functions.at(3).lost, 2u);
  EXPECT_EQ(back->total_written(), 19u);
  EXPECT_EQ(back->total_lost(), 3u);
}

}  // namespace
}  // namespace etrace::format
