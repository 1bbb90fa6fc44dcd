// Container ids in cgroup paths, cgroup path arithmetic, and the context
// record's encoding.
#include <gtest/gtest.h>

#include <cstring>

#include "format/container_id.h"
#include "format/process_context.h"

using namespace etrace::format;

namespace {
const std::string kId = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
}

TEST(ContainerId, RuntimesScopesAndBareIds) {
  EXPECT_EQ(container_id_in_name("docker-" + kId + ".scope"), kId);
  EXPECT_EQ(container_id_in_name("cri-containerd-" + kId + ".scope"), kId);
  EXPECT_EQ(container_id_in_name("crio-" + kId + ".scope"), kId);
  EXPECT_EQ(container_id_in_name("libpod-" + kId + ".scope"), kId);
  EXPECT_EQ(container_id_in_name(kId), kId);
  EXPECT_FALSE(container_id_in_name("docker-" + kId));           // not a scope
  EXPECT_FALSE(container_id_in_name("foo-" + kId + ".scope"));   // not a runtime's
  EXPECT_FALSE(container_id_in_name("docker-" + kId.substr(1) + ".scope"));  // 63 digits
  EXPECT_FALSE(container_id_in_name("session-3.scope"));
  std::string upper = kId;
  upper[0] = 'C';
  EXPECT_FALSE(container_id_in_name(upper));  // runtimes write lowercase
}

TEST(ContainerId, InnermostInAPath) {
  EXPECT_EQ(container_id_of("/system.slice/docker-" + kId + ".scope"), kId);
  EXPECT_EQ(container_id_of("/docker/" + kId), kId);
  EXPECT_EQ(container_id_of("/kubepods.slice/kubepods-burstable.slice/cri-containerd-" + kId + ".scope/init"), kId);
  const std::string inner = "ab" + kId.substr(2);
  EXPECT_EQ(container_id_of("/docker/" + kId + "/docker/" + inner), inner);
  EXPECT_FALSE(container_id_of("/user.slice/user-1000.slice/session-2.scope"));
  EXPECT_FALSE(container_id_of("/"));
}

TEST(ContainerId, Prefixes) {
  EXPECT_EQ(container_id_prefix(kId.substr(0, 12)), kId.substr(0, 12));
  EXPECT_EQ(container_id_prefix(kId), kId);
  EXPECT_EQ(container_id_prefix("C0FFEE00C0FF"), "c0ffee00c0ff");
  EXPECT_FALSE(container_id_prefix(kId.substr(0, 11)));
  EXPECT_FALSE(container_id_prefix(kId + "0"));
  EXPECT_FALSE(container_id_prefix("c0ffee00c0fg"));
}

TEST(CgroupPaths, NormalizedAndContained) {
  EXPECT_EQ(normalized_path("a//b/./c/"), "/a/b/c");
  EXPECT_EQ(normalized_path("/"), "/");
  EXPECT_EQ(normalized_path(""), "/");
  EXPECT_TRUE(cgroup_contains("/a", "/a"));
  EXPECT_TRUE(cgroup_contains("/a", "/a/b"));
  EXPECT_TRUE(cgroup_contains("/", "/a/b"));
  EXPECT_FALSE(cgroup_contains("/a", "/ab"));
  EXPECT_FALSE(cgroup_contains("/a/b", "/a"));
  EXPECT_EQ(cgroup_path_of({"c", "b", "a"}), "/a/b/c");
  EXPECT_EQ(cgroup_path_of({}), "/");
}

TEST(ContextRecord, LayoutOfTheFixedPartAndItems) {
  ContextFacts f;
  f.pid = 7;
  f.tid = 8;
  f.ppid = 1;
  f.uid = 10, f.gid = 11, f.suid = 12, f.sgid = 13, f.euid = 14, f.egid = 15, f.fsuid = 16, f.fsgid = 17;
  f.cap_effective = 0x1ff;
  f.cgroup_id = 42;
  f.comm = "sh";
  f.exe = "/bin/sh";
  f.cgroup_path = "/a/bc";
  f.ns[ETRACE_NS_TIME] = 99;
  const auto bytes = encode_context_record(f, 1234, 3);
  // 128 fixed bytes; items of 8 + 8 ("/bin/sh" padded), 8 + 8 ("bc"), 8 + 8 ("a").
  ASSERT_EQ(bytes.size(), 128u + 16 + 16 + 16);
  etrace_context r;
  std::memcpy(&r, bytes.data(), sizeof(r));
  EXPECT_EQ(r.h.type, ETRACE_REC_CONTEXT);
  EXPECT_EQ(r.h.size, bytes.size());
  EXPECT_EQ(r.h.cpu, 3);
  EXPECT_EQ(r.h.nr, ETRACE_NR_UNKNOWN);
  EXPECT_EQ(r.h.tgid, 7u);
  EXPECT_EQ(r.h.tid, 8u);
  EXPECT_EQ(r.suid, 12u);
  EXPECT_EQ(r.euid, 14u);
  EXPECT_EQ(r.ns[7], 99u);
  EXPECT_STREQ(r.comm, "sh");
  etrace_payload p;
  std::memcpy(&p, bytes.data() + 128, sizeof(p));
  EXPECT_EQ(p.op, ETRACE_CTX_ITEM_EXE);
  EXPECT_EQ(p.len, 7);
  std::memcpy(&p, bytes.data() + 144, sizeof(p));
  EXPECT_EQ(p.op, ETRACE_CTX_ITEM_CGROUP);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data()) + 152, p.len), "bc");  // leaf first
  std::memcpy(&p, bytes.data() + 160, sizeof(p));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data()) + 168, p.len), "a");
}
