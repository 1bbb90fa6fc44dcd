// etrace-decode --files, --conns and --diff on real captures: the files the
// workload opens, a TCP connection over loopback, and two runs of cat.
#include <algorithm>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

std::vector<Json> rows_named(const std::vector<Json>& rows, const std::string& name) {
  return select(rows, [&](const Json& r) { return r.value("name", "") == name; });
}

TEST_F(LiveTest, FilesViewFollowsEachOpenFileThroughForkAndClose) {
  const std::string out = file("files.etrace");
  Outcome cap = capture({"-o", out, "--", kWorkload, "run"});
  ASSERT_EQ(cap.status, kExit) << cap.describe();
  Outcome files = decode({out, "--files", "--json"});
  ASSERT_EQ(files.status, 0) << files.describe();
  std::string error;
  const auto rows = parse_json_lines(files.out, error);
  ASSERT_EQ(error, "");

  const auto null_rows = rows_named(rows, "/dev/null");
  ASSERT_EQ(null_rows.size(), 1u) << files.out;
  const Json& devnull = null_rows[0];
  EXPECT_EQ(devnull["comm"], kWorkloadComm);
  EXPECT_EQ(devnull["calls"], 2) << "its write and its close";
  EXPECT_EQ(devnull["errors"], 0);
  EXPECT_EQ(int_of(devnull, "written_bytes"), kWriteBytes);
  EXPECT_EQ(int_of(devnull, "read_bytes"), 0);
  ASSERT_TRUE(int_of(devnull, "opened_ns") && int_of(devnull, "closed_ns")) << devnull.dump();
  EXPECT_LT(*int_of(devnull, "opened_ns"), *int_of(devnull, "closed_ns"));

  // One open file, though the forked child held it too: closed when the
  // parent closed it, after the child had gone.
  const auto hostname_rows = rows_named(rows, "/etc/hostname");
  ASSERT_EQ(hostname_rows.size(), 1u) << files.out;
  const Json& hostname = hostname_rows[0];
  EXPECT_EQ(hostname["calls"], 3) << "the parent's and the child's lseek, the parent's close";
  EXPECT_EQ(hostname["pid"], devnull["pid"]);
  EXPECT_GT(*int_of(hostname, "closed_ns"), *int_of(devnull, "closed_ns"));
  EXPECT_TRUE(rows_named(rows, kMissingPath).empty()) << "a failed open opens nothing";
}

TEST_F(LiveTest, ConnsViewShowsBothEndsOfALoopbackConnection) {
  const std::string out = file("conns.etrace");
  const std::string program =
      "import socket\n"
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
      "c = socket.create_connection(s.getsockname()); a, _ = s.accept()\n"
      "c.sendall(b'x' * 100); assert len(a.recv(1000)) == 100\n"
      "a.sendall(b'y' * 30); assert len(c.recv(1000)) == 30\n"
      "c.close(); a.close(); s.close()\n";
  Outcome cap = capture({"-o", out, "--", "/usr/bin/python3", "-c", program});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  Outcome conns = decode({out, "--conns", "--json"});
  ASSERT_EQ(conns.status, 0) << conns.describe();
  std::string error;
  auto rows = parse_json_lines(conns.out, error);
  ASSERT_EQ(error, "");
  rows = select(rows, [](const Json& r) { return r.value("protocol", "") == "TCP"; });
  ASSERT_EQ(rows.size(), 3u) << conns.out;  // listening, connecting, accepted
  const Json& listening = rows[0];
  const Json& client = rows[1];
  const Json& server = rows[2];
  const std::string port = listening["local"].get<std::string>().substr(std::string("127.0.0.1:").size());
  EXPECT_EQ(listening["local"], "127.0.0.1:" + port);
  EXPECT_EQ(client["peer"], "127.0.0.1:" + port);
  EXPECT_EQ(server["local"], "127.0.0.1:" + port);
  EXPECT_EQ(int_of(client, "sent_bytes"), 100);
  EXPECT_EQ(int_of(client, "received_bytes"), 30);
  EXPECT_EQ(int_of(server, "received_bytes"), 100);
  EXPECT_EQ(int_of(server, "sent_bytes"), 30);
  for (const auto& r : rows) {
    EXPECT_EQ(r["comm"], "python3") << r.dump();
    EXPECT_FALSE(r["closed"].is_null()) << r.dump();
  }
}

TEST_F(LiveTest, DiffShowsWhatTheSecondRunTouchedAndFailed) {
  const std::string a = file("a.etrace"), b = file("b.etrace");
  Outcome cap_a = capture({"-o", a, "--", "/bin/cat", "/etc/hostname"});
  ASSERT_EQ(cap_a.status, 0) << cap_a.describe();
  Outcome cap_b = capture({"-o", b, "--", "/bin/cat", "/etc/hostname", kMissingPath});
  ASSERT_EQ(cap_b.status, 1) << cap_b.describe();
  Outcome diff = decode({"--diff", a, b});
  ASSERT_EQ(diff.status, 0) << diff.describe();
  const auto lines = lines_of(diff.out);
  auto has = [&](const std::string& wanted) { return std::find(lines.begin(), lines.end(), wanted) != lines.end(); };
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("cat (pid "); }))
      << diff.out;
  EXPECT_TRUE(has("  + path " + std::string(kMissingPath))) << diff.out;
  EXPECT_TRUE(has("  + error openat ENOENT " + std::string(kMissingPath) + " (1x)")) << diff.out;
  EXPECT_EQ(diff.out.find("  - path"), std::string::npos) << "A named nothing B did not\n" << diff.out;
  EXPECT_EQ(diff.out.find("only in"), std::string::npos) << diff.out;
}

}  // namespace
}  // namespace etrace::live
