// Container ids in cgroup paths.
#include <gtest/gtest.h>

#include <string>

#include "catalog/container_id.h"

using namespace etrace::catalog;

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
