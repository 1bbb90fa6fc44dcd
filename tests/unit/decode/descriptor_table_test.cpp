// The descriptor model behind etrace-decode -y: tables shared and copied as
// the kernel does (decode/descriptor_table.h), and the tracker that drives
// them from calls, process events and the start snapshot
// (decode/descriptor_tracker.h), fed synthetic events.
#include <fcntl.h>
#include <sched.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/types.h>

#include <gtest/gtest.h>

#include <cstring>
#include <sstream>

#include "decode/descriptors/descriptor_table.h"
#include "decode/descriptors/descriptor_text.h"
#include "decode/descriptors/descriptor_tracker.h"
#include "decode/pipeline.h"
#include "decode/render/text_renderer.h"
#include "format/records.h"

namespace etrace::decode {
namespace {

std::shared_ptr<OpenFile> path(const std::string& p) {
  auto f = std::make_shared<OpenFile>();
  f->kind = OpenFile::Kind::kPath;
  f->name = p;
  return f;
}

std::string name_of(const FdTable& t, int32_t fd) {
  const OpenFile* f = t.find(fd);
  return f ? descriptor_text(*f, true) : "<none>";
}

TEST(FdTable, DupSharesTheOpenFileAndForgetsWhatItReplaced) {
  FdTable t;
  t.install(3, path("/etc/hosts"), false);
  t.install(5, path("/tmp/old"), false);
  EXPECT_TRUE(t.duplicate(3, 5, true));
  EXPECT_EQ(name_of(t, 5), "/etc/hosts");
  EXPECT_TRUE(t.cloexec(5));
  EXPECT_FALSE(t.cloexec(3));
  EXPECT_EQ(t.find(3), t.find(5));  // one open file description
  // Duplicating what the capture never saw closes the target all the same.
  EXPECT_FALSE(t.duplicate(9, 5, false));
  EXPECT_EQ(t.find(5), nullptr);
}

TEST(FdTable, CloseRangeIsInclusiveAndOpenEnded) {
  FdTable t;
  for (int fd : {0, 1, 2, 3, 4, 7, 100}) t.install(fd, path("/f" + std::to_string(fd)), false);
  t.close_range(3, 4);
  EXPECT_EQ(t.find(3), nullptr);
  EXPECT_EQ(t.find(4), nullptr);
  EXPECT_NE(t.find(2), nullptr);
  EXPECT_NE(t.find(7), nullptr);
  t.close_range(5, ~0u);
  EXPECT_EQ(t.size(), 3u);
  t.set_cloexec_range(1, 1);
  t.close_on_exec();
  EXPECT_EQ(name_of(t, 0), "/f0");
  EXPECT_EQ(t.find(1), nullptr);
  EXPECT_EQ(name_of(t, 2), "/f2");
}

TEST(DescriptorTables, ForkCopiesAndCloneFilesShares) {
  DescriptorTables tables;
  tables.table(10).install(3, path("/a"), false);
  tables.set_cwd(10, "/home");
  tables.fork(10, 11, false);  // fork: a copy
  tables.fork(10, 12, true);   // clone(CLONE_FILES): the same table
  tables.fork(10, 10, false);  // a thread: nothing changes
  tables.table(11).close(3);
  tables.table(12).install(4, path("/b"), false);
  EXPECT_EQ(name_of(tables.table(10), 3), "/a");
  EXPECT_EQ(name_of(tables.table(10), 4), "/b");
  EXPECT_EQ(tables.table(11).find(3), nullptr);
  EXPECT_EQ(tables.table(11).find(4), nullptr);
  EXPECT_EQ(tables.cwd(11), "/home");
}

TEST(DescriptorTables, ExecUnsharesThenClosesCloseOnExec) {
  DescriptorTables tables;
  tables.table(10).install(3, path("/keep"), false);
  tables.table(10).install(4, path("/cloexec"), true);
  tables.fork(10, 20, true);
  tables.exec(20);
  EXPECT_EQ(name_of(tables.table(20), 3), "/keep");
  EXPECT_EQ(tables.table(20).find(4), nullptr);
  // The process it shared with keeps its close-on-exec descriptor, and no longer shares.
  EXPECT_EQ(name_of(tables.table(10), 4), "/cloexec");
  tables.table(20).install(5, path("/new"), false);
  EXPECT_EQ(tables.table(10).find(5), nullptr);
  tables.exit(20);
  EXPECT_EQ(tables.find(20), nullptr);
}

TEST(DescriptorText, SocketsAndPipes) {
  OpenFile s;
  s.kind = OpenFile::Kind::kSocket;
  s.inode = 77;
  s.protocol = "TCP";
  EXPECT_EQ(descriptor_text(s, false), "socket:[77]");
  EXPECT_EQ(descriptor_text(s, true), "TCP:[77]");
  s.peer = "127.0.0.1:80";
  EXPECT_EQ(descriptor_text(s, true), "TCP:[?->127.0.0.1:80]");
  s.local = "127.0.0.1:40000";
  EXPECT_EQ(descriptor_text(s, true), "TCP:[127.0.0.1:40000->127.0.0.1:80]");
  OpenFile p;
  p.kind = OpenFile::Kind::kPipe;
  EXPECT_EQ(descriptor_text(p, false), "pipe:[?]");
  EXPECT_EQ(socket_protocol(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), "UDPv6");
  EXPECT_EQ(socket_protocol(AF_UNIX, SOCK_STREAM, 0), "UNIX-STREAM");
}

// ---- the tracker, from synthetic calls ------------------------------------

enum Nr : uint16_t {
  kWrite = 1, kClose = 3, kDup = 32, kDup2 = 33, kSocket = 41, kConnect = 42, kSendto = 44, kGetsockname = 51, kClone = 56,
  kFcntl = 72,
  kChdir = 80, kOpenat = 257, kPipe2 = 293, kCloseRange = 436,
};

SyscallCatalog make_catalog() {
  format::SyscallTable table;
  for (auto [nr, name] : {std::pair{kWrite, "write"}, {kClose, "close"}, {kDup, "dup"}, {kDup2, "dup2"},
                          {kSocket, "socket"}, {kConnect, "connect"}, {kSendto, "sendto"}, {kGetsockname, "getsockname"},
                          {kClone, "clone"}, {kFcntl, "fcntl"},
                          {kChdir, "chdir"}, {kOpenat, "openat"}, {kPipe2, "pipe2"}, {kCloseRange, "close_range"}})
    table.names[nr] = name;
  format::CopyPlans plans;
  format::CopyOp path_op;
  path_op.kind = ETRACE_COPY_STRING;
  path_op.arg = 1;
  plans.syscalls[kOpenat] = {path_op};
  path_op.arg = 0;
  plans.syscalls[kChdir] = {path_op};
  format::CopyOp address;
  address.kind = ETRACE_COPY_BYTES;
  address.arg = 1;
  address.len_source = ETRACE_LEN_ARG;
  address.len_arg = 2;
  address.size = 1;
  plans.syscalls[kConnect] = {address};
  address.flags = ETRACE_OP_AT_EXIT;
  plans.syscalls[kGetsockname] = {address};
  format::CopyOp fds;
  fds.kind = ETRACE_COPY_BYTES;
  fds.arg = 0;
  fds.flags = ETRACE_OP_AT_EXIT;
  fds.size = 8;
  fds.type = "int";
  plans.syscalls[kPipe2] = {fds};
  return SyscallCatalog(table, {}, plans);
}

class Tracker : public ::testing::Test {
 protected:
  // One whole call of process `pid`: its entry, then its end.
  CallDescriptors call(uint32_t pid, uint16_t nr, std::array<uint64_t, 6> args, int64_t ret, std::string in = "",
                       std::string out = "") {
    Call c;
    c.seq = seq_++;
    c.tgid = c.tid = pid;
    c.nr = nr;
    c.args = args;
    if (!in.empty()) c.enter_payloads.push_back({0, 0, static_cast<uint32_t>(in.size()), in});
    tracker_.call(CallEvent{CallPhase::kEntered, c});
    if (!out.empty()) c.exit_payloads.push_back({0, 0, static_cast<uint32_t>(out.size()), out});
    c.ret = ret;
    return tracker_.call(CallEvent{CallPhase::kCompleted, c});
  }
  void fork(uint32_t parent, uint32_t child) {
    ProcessEvent e;
    e.kind = ProcessEvent::Kind::kFork;
    e.tgid = e.tid = parent;
    e.child_tgid = e.child_tid = child;
    tracker_.process(e);
  }
  void exec(uint32_t pid) {
    ProcessEvent e;
    e.kind = ProcessEvent::Kind::kExec;
    e.tgid = e.tid = e.old_tid = pid;
    tracker_.process(e);
  }
  // The text of `fd` as a call of `pid` naming it would see it.
  std::string seen(uint32_t pid, int32_t fd) {
    auto d = call(pid, kWrite, {static_cast<uint64_t>(fd), 0, 0}, 0);
    return d.at_entry.empty() ? "<none>" : d.at_entry.front().second;
  }

  SyscallCatalog catalog_ = make_catalog();
  DescriptorTracker tracker_{catalog_, true, true};
  uint64_t seq_ = 0;
};

constexpr uint64_t kAtFdcwd = static_cast<uint64_t>(-100);

TEST_F(Tracker, OpenNamesTheDescriptorAndCloseForgetsIt) {
  auto opened = call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, 3, "/etc/hosts");
  EXPECT_EQ(opened.returned, "/etc/hosts");
  auto closed = call(1, kClose, {3}, 0);
  ASSERT_EQ(closed.at_entry.size(), 1u);  // close names the descriptor as it was
  EXPECT_EQ(closed.at_entry.front(), (std::pair<int32_t, std::string>{3, "/etc/hosts"}));
  EXPECT_EQ(seen(1, 3), "<none>");
  // A failed open changes nothing.
  call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, -ENOENT, "/nope");
  EXPECT_EQ(seen(1, 3), "<none>");
}

TEST_F(Tracker, RelativePathsOnlyAgainstAKnownDirectory) {
  call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, 3, "rel/file");
  EXPECT_EQ(seen(1, 3), "rel/file");  // where it is relative to is unknown: as given
  call(1, kChdir, {0x1000}, 0, "/srv/./data");
  call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, 4, "../x//y");
  EXPECT_EQ(seen(1, 4), "/srv/x/y");
  // AT_FDCWD names the working directory, as strace -y shows it.
  auto at_cwd = call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, -ENOENT, "nope");
  EXPECT_EQ(at_cwd.at_entry, (std::vector<std::pair<int32_t, std::string>>{{AT_FDCWD, "/srv/data"}}));
  call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY | O_DIRECTORY}, 5, "/etc");
  call(1, kOpenat, {5, 0x1000, O_RDONLY}, 6, "hosts");
  EXPECT_EQ(seen(1, 6), "/etc/hosts");
}

TEST_F(Tracker, DupsAndFcntlFollowTheirSource) {
  call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, 3, "/a");
  EXPECT_EQ(call(1, kDup, {3}, 4).returned, "/a");
  call(1, kDup2, {3, 9}, 9);
  EXPECT_EQ(seen(1, 9), "/a");
  EXPECT_EQ(call(1, kFcntl, {3, F_DUPFD_CLOEXEC, 10}, 10).returned, "/a");
  EXPECT_TRUE(tracker_.tables().find(1)->cloexec(10));
  call(1, kFcntl, {4, F_SETFD, FD_CLOEXEC}, 0);
  EXPECT_TRUE(tracker_.tables().find(1)->cloexec(4));
  call(1, kFcntl, {10, F_SETFD, 0}, 0);
  EXPECT_FALSE(tracker_.tables().find(1)->cloexec(10));
}

TEST_F(Tracker, ExecClosesWhatWasMarkedCloseOnExec) {
  call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY | O_CLOEXEC}, 3, "/cloexec");
  call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, 4, "/kept");
  call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, 5, "/marked-later");
  call(1, kFcntl, {5, F_SETFD, FD_CLOEXEC}, 0);
  exec(1);
  EXPECT_EQ(seen(1, 3), "<none>");
  EXPECT_EQ(seen(1, 4), "/kept");
  EXPECT_EQ(seen(1, 5), "<none>");
}

TEST_F(Tracker, CloseRangeClosesOrMarks) {
  for (int fd = 3; fd <= 6; ++fd) call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, fd, "/f" + std::to_string(fd));
  call(1, kCloseRange, {5, ~0u, 0}, 0);
  EXPECT_EQ(seen(1, 4), "/f4");
  EXPECT_EQ(seen(1, 5), "<none>");
  call(1, kCloseRange, {4, 4, 1u << 2 /* CLOSE_RANGE_CLOEXEC */}, 0);
  exec(1);
  EXPECT_EQ(seen(1, 3), "/f3");
  EXPECT_EQ(seen(1, 4), "<none>");
}

TEST_F(Tracker, ForkCopiesTheTableAndCloneFilesSharesIt) {
  call(1, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, 3, "/parent");
  // A fork arrives while the parent's clone is under way: its flags decide.
  Call clone;
  clone.seq = seq_++;
  clone.tgid = clone.tid = 1;
  clone.nr = kClone;
  clone.args = std::array<uint64_t, 6>{CLONE_FILES | CLONE_VM};
  tracker_.call(CallEvent{CallPhase::kEntered, clone});
  fork(1, 2);
  clone.ret = 2;
  tracker_.call(CallEvent{CallPhase::kCompleted, clone});
  fork(1, 3);  // no clone call seen: a plain fork
  call(2, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, 4, "/shared");
  call(3, kClose, {3}, 0);
  EXPECT_EQ(seen(1, 4), "/shared");
  EXPECT_EQ(seen(1, 3), "/parent");
  EXPECT_EQ(seen(3, 4), "<none>");
  EXPECT_EQ(seen(3, 3), "<none>");
}

TEST_F(Tracker, SocketsGainAddressesAndPipesComeInPairs) {
  call(1, kSocket, {AF_INET, SOCK_STREAM, 0}, 3);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(80);
  to.sin_addr.s_addr = htonl(0x7f000001);
  std::string bytes(reinterpret_cast<const char*>(&to), sizeof to);
  call(1, kConnect, {3, 0x1000, sizeof to}, 0, bytes);
  EXPECT_EQ(seen(1, 3), "TCP:[?->127.0.0.1:80]");
  int32_t fds[2] = {5, 6};
  auto made = call(1, kPipe2, {0x1000, O_CLOEXEC}, 0, "", std::string(reinterpret_cast<const char*>(fds), 8));
  ASSERT_EQ(made.at_exit.size(), 2u);
  EXPECT_EQ(made.at_exit[1], (std::pair<int32_t, std::string>{6, "pipe:[?]"}));
  EXPECT_FALSE(made.returned);  // pipe2 returns 0, not a descriptor
  exec(1);
  EXPECT_EQ(seen(1, 5), "<none>");
}

TEST_F(Tracker, AConnectUnderWayHasItsPeer) {
  // curl: connect(5<TCP:[?]>, {... htons(80) ...}, 16) = -1 EINPROGRESS, then poll(5<TCP:[?->127.0.0.1:80]>)
  call(1, kSocket, {AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0}, 5);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(80);
  to.sin_addr.s_addr = htonl(0x7f000001);
  call(1, kConnect, {5, 0x1000, sizeof to}, -EINPROGRESS, std::string(reinterpret_cast<const char*>(&to), sizeof to));
  EXPECT_EQ(seen(1, 5), "TCP:[?->127.0.0.1:80]");
  // A refused one never had one.
  call(1, kSocket, {AF_INET, SOCK_STREAM, 0}, 6);
  call(1, kConnect, {6, 0x1000, sizeof to}, -ECONNREFUSED, std::string(reinterpret_cast<const char*>(&to), sizeof to));
  EXPECT_EQ(seen(1, 6), "TCP:[?]");
}

TEST_F(Tracker, NetlinkSocketsTellTheirProtocolAndPortId) {
  // strace -yy ip link: socket(...) = 3<NETLINK:[829492]>, then after getsockname 3<NETLINK:[ROUTE:23310]>
  auto made = call(1, kSocket, {AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE}, 3);
  EXPECT_EQ(made.returned, "NETLINK:[?]");
  sockaddr_nl self{};
  self.nl_family = AF_NETLINK;
  self.nl_pid = 23310;
  call(1, kGetsockname, {3, 0x1000, 0x2000}, 0, "", std::string(reinterpret_cast<const char*>(&self), sizeof self));
  EXPECT_EQ(seen(1, 3), "NETLINK:[ROUTE:23310]");
  // The decoder learns the protocol of the socket whose messages a call carries.
  auto sent = call(1, kSendto, {3, 0x1000, 16, 0, 0, 0}, 16);
  ASSERT_TRUE(sent.socket);
  EXPECT_EQ(sent.socket->family, AF_NETLINK);
  EXPECT_EQ(sent.socket->protocol, NETLINK_ROUTE);
}

TEST_F(Tracker, SnapshotRecordsSeedTheTable) {
  tracker_.snapshot(FdRecord{{0, 0, 0, 7, 7}, 0, O_RDWR, "/dev/pts/3"});
  tracker_.snapshot(FdRecord{{0, 0, 0, 7, 7}, 4, O_RDONLY | O_CLOEXEC, "pipe:[4242]"});
  tracker_.snapshot(FdRecord{{0, 0, 0, 7, 7}, ETRACE_FD_CWD, 0, "/work"});
  EXPECT_EQ(seen(7, 0), "/dev/pts/3");
  EXPECT_EQ(seen(7, 4), "pipe:[4242]");
  call(7, kOpenat, {kAtFdcwd, 0x1000, O_RDONLY}, 5, "notes.txt");
  EXPECT_EQ(seen(7, 5), "/work/notes.txt");
  exec(7);
  EXPECT_EQ(seen(7, 4), "<none>");
}

// Through the pipeline to text: descriptors as strace -y shows them,
// whatever the filters show.
TEST(DescriptorPipeline, TextShowsPathsBesideNumbers) {
  SyscallCatalog catalog = make_catalog();
  std::ostringstream out;
  TextRenderer text(out, TextOptions{});
  EventFilter filter;
  filter.syscalls = {kOpenat, kClose};  // the write is not shown, but followed
  DecodeOptions options;
  options.descriptors = 1;
  Pipeline pipeline(catalog, 0, filter, text, options);
  auto record = [&](SysEnterRecord r) { pipeline.feed(Record(std::in_place_type<SysEnterRecord>, std::move(r))); };
  auto result = [&](SysExitRecord r) { pipeline.feed(Record(std::in_place_type<SysExitRecord>, std::move(r))); };
  pipeline.feed(Record(std::in_place_type<FdRecord>, FdRecord{{0, 0, 0, 5, 5}, ETRACE_FD_CWD, 0, "/work"}));
  record({{0, kOpenat, 1, 5, 5}, {kAtFdcwd, 0x1000, O_RDONLY}, {{0, 0, 5, "hosts"}}, ""});
  result({{0, kOpenat, 2, 5, 5}, 3, {}, ""});
  record({{0, kDup2, 3, 5, 5}, {3, 7}, {}, ""});
  result({{0, kDup2, 4, 5, 5}, 7, {}, ""});
  record({{0, kClose, 5, 5, 5}, {7}, {}, ""});
  result({{0, kClose, 6, 5, 5}, 0, {}, ""});
  pipeline.finish();
  text.finish();
  EXPECT_EQ(out.str(),
            "openat(AT_FDCWD</work>, \"hosts\", O_RDONLY) = 3</work/hosts>\n"
            "close(7</work/hosts>) = 0\n");
}

}  // namespace
}  // namespace etrace::decode
