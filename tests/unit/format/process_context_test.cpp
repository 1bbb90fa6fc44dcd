// Cgroup path arithmetic and the context record's encoding.
#include <gtest/gtest.h>

#include <cstring>

#include "format/process_context.h"

using namespace etrace::format;

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
