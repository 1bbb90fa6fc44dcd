// Captures of two hosts given together to etrace-decode, built so that
// their clocks since boot and their wall clocks order the calls
// differently: the merge follows the wall clock, marks each line with its
// host, and keeps apart the hosts' equal pids and call numbers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "tests/unit/decode/decode_helpers.h"
#include "tests/unit/decode/decoder_run.h"

using namespace etrace::test;

namespace {

constexpr uint16_t kGetpid = 39;

// Host `name`, booted `boot_ns` after the builder's epoch: pid 100 calls
// getpid from `from` to `to` (ns since that boot).
CaptureBuilder host_calling(const std::string& name, int64_t boot_ns, uint64_t from, uint64_t to) {
  auto b = standard_capture();
  b.syscall(kGetpid, "getpid", false);
  b.host.hostname = name;
  b.capture.realtime_offset_ns += boot_ns;
  b.enter(from, 100, 100, kGetpid, {});
  b.exit(to, 100, 100, kGetpid, 100);
  return b;
}

std::string written(const std::string& bytes) {
  char path[] = "/tmp/etrace-merge-test-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(MergedCaptures, FollowTheWallClockAndKeepEachHostsThreadsApart) {
  // Wall clock: alpha's call runs from 1000 to 3000, beta's within it, at
  // 2000 to 2050. Since their boots, beta's comes first (500 < 1000).
  const std::string beta = written(host_calling("beta", 1500, 500, 550).build());
  const auto run = run_decoder(host_calling("alpha", 0, 1000, 3000).build(), beta);
  std::remove(beta.c_str());
  ASSERT_EQ(run.status, 0) << run.err;
  // Both are pid 100 and call 1 of their captures: alpha's call stays
  // open across beta's, as two threads' calls do.
  EXPECT_EQ(run.out,
            "[alpha] [pid 100] getpid( <unfinished ...>\n"
            "[beta] [pid 100] getpid() = 100\n"
            "[alpha] [pid 100] <... getpid resumed>) = 100\n");
}

TEST(MergedCaptures, ACaptureWithoutWallClockIsRefused) {
  auto old = host_calling("beta", 0, 500, 550);
  old.capture_block = false;
  const std::string path = written(old.build());
  const auto run = run_decoder(host_calling("alpha", 0, 1000, 3000).build(), path);
  std::remove(path.c_str());
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err.find("etrace-decode: " + path + " has no capture block"), 0u) << run.err;
}

}  // namespace
