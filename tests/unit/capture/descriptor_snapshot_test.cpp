// The start snapshot of descriptors (capture/descriptor_snapshot.h), taken
// of this test process itself and read back by the decoder's record parser:
// the records are what format/FORMAT.md says, and round-trip.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "capture/descriptor_snapshot.h"
#include "decode/input/record_parser.h"
#include "format/records.h"

namespace etrace::capture {
namespace {

std::vector<decode::FdRecord> snapshot_of_self() {
  std::vector<decode::FdRecord> out;
  const auto self = static_cast<uint32_t>(getpid());
  snapshot_descriptors(snapshot_processes({self}, {}, false), 1234, [&](std::span<const uint8_t> bytes) {
    EXPECT_EQ(bytes.size() % 8, 0u);
    auto parsed = decode::parse_record(bytes);
    ASSERT_TRUE(parsed && *parsed) << "not a record the decoder reads";
    const auto* fd = std::get_if<decode::FdRecord>(&**parsed);
    ASSERT_NE(fd, nullptr);
    EXPECT_EQ(fd->h.tgid, self);
    EXPECT_EQ(fd->h.ts_ns, 1234u);
    out.push_back(*fd);
  });
  return out;
}

const decode::FdRecord* find(const std::vector<decode::FdRecord>& records, int32_t fd) {
  for (const auto& r : records)
    if (r.fd == fd) return &r;
  return nullptr;
}

TEST(DescriptorSnapshot, RecordsEveryDescriptorWithItsTargetAndFlags) {
  const int plain = open("/etc/hostname", O_RDONLY);
  const int cloexec = open("/dev/null", O_WRONLY | O_CLOEXEC);
  int pipe_fds[2];
  ASSERT_GE(plain, 0);
  ASSERT_GE(cloexec, 0);
  ASSERT_EQ(pipe(pipe_fds), 0);
  const auto records = snapshot_of_self();
  close(plain);
  close(cloexec);
  close(pipe_fds[0]);
  close(pipe_fds[1]);

  const auto* p = find(records, plain);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->target, "/etc/hostname");
  EXPECT_EQ(p->flags & O_CLOEXEC, 0u);
  const auto* c = find(records, cloexec);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->target, "/dev/null");
  EXPECT_NE(c->flags & O_CLOEXEC, 0u);
  EXPECT_EQ(c->flags & O_ACCMODE, static_cast<uint32_t>(O_WRONLY));
  const auto* r = find(records, pipe_fds[0]);
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->target.starts_with("pipe:[")) << r->target;
  const auto* cwd = find(records, ETRACE_FD_CWD);
  ASSERT_NE(cwd, nullptr);
  char here[PATH_MAX];
  ASSERT_NE(getcwd(here, sizeof here), nullptr);
  EXPECT_EQ(cwd->target, here);
}

TEST(DescriptorSnapshot, ProcessesByNameLeaveThisOneOut) {
  const auto self = static_cast<uint32_t>(getpid());
  const auto all = snapshot_processes({}, {}, true);
  EXPECT_GT(all.size(), 1u);
  EXPECT_EQ(std::count(all.begin(), all.end(), self), 0);
  EXPECT_EQ(std::count(all.begin(), all.end(), 1u), 1);  // init is everywhere
  EXPECT_TRUE(snapshot_processes({}, {"no-such-comm-xyz"}, false).empty());
}

}  // namespace
}  // namespace etrace::capture
