// Process contexts: context records decoded, attached to the events of
// their thread, rendered in JSON (ctx) and text (-v), and filtered on
// (--uid, --cgroup, --container). Expected values are written by hand from
// the facts each test records.
#include <gtest/gtest.h>

#include <cstring>

#include "decode_helpers.h"

using namespace etrace::test;
using etrace::decode::EventFilter;
using etrace::decode::ContextPlacement;
using etrace::decode::TextOptions;
namespace format = etrace::format;

namespace {

const std::string kContainer = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// The facts of process `pid`'s main thread.
format::ContextFacts facts(uint32_t pid, std::optional<std::string> exe = std::nullopt) {
  format::ContextFacts f;
  f.pid = pid;
  f.tid = pid;
  f.exe = std::move(exe);
  f.ppid = 1;
  f.reason = ETRACE_CTX_FIRST;
  f.comm = "cat";
  f.uid = 1000, f.gid = 1001, f.suid = 1002, f.sgid = 1003;
  f.euid = 1004, f.egid = 1005, f.fsuid = 1006, f.fsgid = 1007;
  f.cap_effective = 0x3;
  f.cgroup_id = 77;
  f.cgroup_path = "/system.slice/docker-" + kContainer + ".scope";
  f.ns = {11, 12, 13, 14, 15, 16, 17, 18};
  return f;
}

// read(0, NULL, 0) = 0 by process `pid`'s main thread, entered at `ts`.
void read_call(CaptureBuilder& b, uint64_t ts, uint32_t pid) {
  b.enter(ts, pid, pid, kRead, {0, 0, 0, 0, 0, 0});
  b.exit(ts + 100, pid, pid, kRead, 0);
}

TextOptions verbose_text() {
  TextOptions t;
  t.contexts = true;
  return t;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    out.push_back(text.substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

}  // namespace

// The whole context, as a line of its own the call names by its id, or in
// the call, or nowhere.
TEST(ProcessContext, JsonCarriesTheWholeContext) {
  auto b = standard_capture();
  b.context(500, facts(100, "/usr/bin/cat"));
  read_call(b, 1000, 100);
  const std::string context =
      R"("pid":100,"tid":100,"ppid":1,"comm":"cat","exe":"/usr/bin/cat",)"
      R"("creds":{"uid":1000,"gid":1001,"euid":1004,"egid":1005,"suid":1002,"sgid":1003,"fsuid":1006,"fsgid":1007,)"
      R"("cap_effective":"0x3"},)"
      R"("cgroup":{"id":"77","path":"/system.slice/docker-)" + kContainer + R"(.scope","container":")" + kContainer +
      R"("},"ns":{"pid":11,"mnt":12,"net":13,"uts":14,"ipc":15,"user":16,"cgroup":17,"time":18})";
  const auto out = lines(decode_json(b));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], R"({"kind":"context","ctx_id":1,)" + context + "}");
  EXPECT_TRUE(out[1].ends_with(R"("duration_ns":"100","ctx_id":1})")) << out[1];
  const std::string inline_json = decode_json(b, {}, ContextPlacement::kInline);
  EXPECT_EQ(lines(inline_json).size(), 1u);
  EXPECT_TRUE(inline_json.ends_with(R"("duration_ns":"100","ctx":{)" + context + "}}\n")) << inline_json;
  const std::string none = decode_json(b, {}, ContextPlacement::kNone);
  EXPECT_TRUE(none.ends_with(R"("duration_ns":"100"})" "\n")) << none;
}

TEST(ProcessContext, NoContextRecordsNoCtxKey) {
  auto b = standard_capture();
  read_call(b, 1000, 100);
  EXPECT_EQ(decode_json(b).find("ctx"), std::string::npos);
}

TEST(ProcessContext, ACallHasTheContextItStartedWith) {
  auto b = standard_capture();
  b.context(500, facts(100));
  b.enter(1000, 100, 100, kWrite, {1, 0, 0, 0, 0, 0});
  auto changed = facts(100);
  changed.uid = 0;
  changed.reason = ETRACE_CTX_CREDS;
  b.context(1500, changed);  // as after a setuid, before its exit
  b.exit(2000, 100, 100, kWrite, 0);
  read_call(b, 3000, 100);
  const auto out = lines(decode_json(b));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_NE(out[0].find(R"("ctx_id":1,)"), std::string::npos) << out[0];
  EXPECT_NE(out[0].find(R"("creds":{"uid":1000,)"), std::string::npos) << out[0];
  EXPECT_NE(out[1].find(R"("syscall":"write")"), std::string::npos) << out[1];
  EXPECT_NE(out[1].find(R"("ctx_id":1})"), std::string::npos) << out[1];
  EXPECT_NE(out[2].find(R"("ctx_id":2,)"), std::string::npos) << out[2];
  EXPECT_NE(out[2].find(R"("creds":{"uid":0,)"), std::string::npos) << out[2];
  EXPECT_NE(out[3].find(R"("ctx_id":2})"), std::string::npos) << out[3];
}

// A context record that changes nothing the line shows writes no line.
TEST(ProcessContext, AContextLineOnlyWhenItChanges) {
  auto b = standard_capture();
  b.context(500, facts(100));
  read_call(b, 1000, 100);
  auto same = facts(100);
  same.reason = ETRACE_CTX_CREDS;
  b.context(2500, same);
  read_call(b, 3000, 100);
  auto changed = facts(100);
  changed.ns[2] = 99;
  b.context(4500, changed);
  read_call(b, 5000, 100);
  std::string kinds;
  for (const auto& l : lines(decode_json(b)))
    kinds += l.substr(9, l.find('"', 9) - 9) + l.substr(l.find("\"ctx_id\":") + 9, 1) + " ";
  EXPECT_EQ(kinds, "context1 syscall1 syscall1 context2 syscall2 ");
}

TEST(ProcessContext, ExecutableKeptAcrossChangesAndInheritedByForkedProcesses) {
  auto b = standard_capture();
  b.context(100, facts(100, "/usr/bin/cat"));
  b.context(200, facts(100));  // a change without the path
  read_call(b, 300, 100);
  b.fork(500, 100, 100, 200, 200);
  b.context(600, facts(200));  // the child's first context
  read_call(b, 700, 200);
  const auto out = lines(decode_json(b));
  size_t with_exe = 0;
  for (const auto& l : out)
    if (l.find(R"("kind":"context")") != std::string::npos) {
      EXPECT_NE(l.find(R"("exe":"/usr/bin/cat")"), std::string::npos) << l;
      ++with_exe;
    }
  EXPECT_EQ(with_exe, 2u);
}

TEST(ProcessContext, UnknownExecutableIsNull) {
  auto b = standard_capture();
  b.context(100, facts(100));
  read_call(b, 300, 100);
  EXPECT_NE(decode_json(b).find(R"("exe":null)"), std::string::npos);
}

TEST(ProcessContext, RootCgroupAndCutPaths) {
  auto b = standard_capture();
  auto root = facts(100);
  root.cgroup_path = "/";
  b.context(100, root);
  read_call(b, 200, 100);
  // A record whose walk stopped short: its last path item is a MORE marker.
  auto deep = facts(101);
  deep.cgroup_path = "/c/d";
  auto bytes = format::encode_context_record(deep, 400, 0);
  etrace_payload more{ETRACE_CTX_ITEM_CGROUP, ETRACE_PAYLOAD_MORE, 0, 0};
  bytes.insert(bytes.end(), reinterpret_cast<const uint8_t*>(&more), reinterpret_cast<const uint8_t*>(&more + 1));
  const uint16_t size = static_cast<uint16_t>(bytes.size());
  std::memcpy(bytes.data() + 2, &size, sizeof(size));
  b.raw_record(bytes);
  read_call(b, 500, 101);
  const auto out = lines(decode_json(b));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_NE(out[0].find(R"("cgroup":{"id":"77","path":"/","container":null})"), std::string::npos) << out[0];
  EXPECT_NE(out[2].find(R"("path":"/c/d","path_truncated":true,"container":null)"), std::string::npos) << out[2];
}

TEST(ProcessContext, TextShowsAContextWhenItAppearsAndWhatChanged) {
  auto b = standard_capture();
  b.context(500, facts(100, "/usr/bin/cat"));
  read_call(b, 1000, 100);
  auto same = facts(100);
  same.reason = ETRACE_CTX_CREDS;  // new credentials, equal values: nothing to show
  b.context(2500, same);
  read_call(b, 3000, 100);
  auto changed = facts(100);
  changed.uid = 0;
  changed.euid = 0;
  changed.ns[2] = 99;
  b.context(4500, changed);
  read_call(b, 5000, 100);
  const std::string full =
      "--- context ppid=1 comm=\"cat\" exe=\"/usr/bin/cat\" uid=1000 gid=1001 euid=1004 egid=1005 suid=1002 "
      "sgid=1003 fsuid=1006 fsgid=1007 cap_eff=0x3 cgroup=\"/system.slice/docker-" + kContainer +
      ".scope\" cgroup_id=77 container=" + kContainer +
      " ns={pid=11, mnt=12, net=13, uts=14, ipc=15, user=16, cgroup=17, time=18} ---\n";
  EXPECT_EQ(decode_text(b, verbose_text()),
            full + "read(0, NULL, 0) = 0\nread(0, NULL, 0) = 0\n"
                   "--- context uid=1000->0 euid=1004->0 ns={pid=11, mnt=12, net=13, uts=14, ipc=15, user=16, "
                   "cgroup=17, time=18}->{pid=11, mnt=12, net=99, uts=14, ipc=15, user=16, cgroup=17, time=18} ---\n"
                   "read(0, NULL, 0) = 0\n");
  // Without -v, text is strace's.
  EXPECT_EQ(decode_text(b), "read(0, NULL, 0) = 0\nread(0, NULL, 0) = 0\nread(0, NULL, 0) = 0\n");
}

TEST(ProcessContext, FiltersOnUidCgroupAndContainer) {
  auto b = standard_capture();
  b.context(100, facts(100));  // uid 1000, euid 1004, in the container
  auto other = facts(200);
  other.uid = other.euid = 0;
  other.cgroup_path = "/user.slice/session-1.scope";
  b.context(100, other);
  read_call(b, 200, 100);
  b.enter(400, 200, 200, kWrite, {1, 0, 0, 0, 0, 0});
  b.exit(500, 200, 200, kWrite, 0);
  b.enter(600, 300, 300, kLseek, {1, 0, 0, 0, 0, 0});  // no context recorded
  b.exit(700, 300, 300, kLseek, 0);
  auto shown = [&](EventFilter f) {
    std::string names;
    for (const auto& l : lines(decode_json(b, f)))
      if (l.find("\"kind\":\"syscall\"") != std::string::npos) names += l.substr(l.find("\"syscall\":\"") + 11, 4) + " ";
    return names;
  };
  EventFilter all;
  EXPECT_EQ(shown(all), "read writ lsee ");
  EventFilter by_uid;
  by_uid.uids = {1000};
  EXPECT_EQ(shown(by_uid), "read ");
  by_uid.uids = {1004};  // the effective uid
  EXPECT_EQ(shown(by_uid), "read ");
  by_uid.uids = {0};
  EXPECT_EQ(shown(by_uid), "writ ");
  EventFilter by_cgroup;
  by_cgroup.cgroups = {etrace::decode::cgroup_filter_path("/sys/fs/cgroup/user.slice/")};
  EXPECT_EQ(shown(by_cgroup), "writ ");
  by_cgroup.cgroups = {"/user"};  // not a component of the path
  EXPECT_EQ(shown(by_cgroup), "");
  by_cgroup.cgroups = {"/"};
  EXPECT_EQ(shown(by_cgroup), "read writ ");
  EventFilter by_container;
  by_container.containers = {kContainer.substr(0, 12)};
  EXPECT_EQ(shown(by_container), "read ");
  by_container.containers = {"0123456789ab0"};
  EXPECT_EQ(shown(by_container), "");
}

TEST(ProcessContext, ShortContextRecordIsMalformed) {
  auto b = standard_capture();
  auto bytes = format::encode_context_record(facts(100), 100, 0);
  bytes.resize(100);
  const uint16_t size = 100;
  std::memcpy(bytes.data() + 2, &size, sizeof(size));
  b.raw_record(bytes);
  read_call(b, 200, 100);
  const std::string json = decode_json(b);
  EXPECT_EQ(json.find("ctx"), std::string::npos);
  EXPECT_NE(json.find(R"("syscall":"read")"), std::string::npos);
}
