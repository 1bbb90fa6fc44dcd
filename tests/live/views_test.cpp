// etrace-decode --files, --conns and --diff on real captures: the files the
// workload opens, a TCP connection over loopback, and two runs of cat (and
// of a shell running cats), compared as text and as JSON.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

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

// "2.310 us", as --diff writes a latency.
std::string micros(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s%lld.%03lld us", ns < 0 ? "-" : "", std::llabs(ns) / 1000LL,
                std::llabs(ns) % 1000LL);
  return buf;
}

std::string pid_text(const Json& pid) { return pid.is_null() ? "-" : std::to_string(pid.get<int64_t>()); }

// The text --diff writes, made from the lines --diff --json writes: where
// the two forms say the same, this is the text itself.
std::string text_from_json(const std::vector<Json>& lines) {
  std::string text;
  for (const Json& l : lines) {
    const std::string kind = l["kind"];
    if (kind == "diff") {
      text += "--- A " + str_of(l, "a_capture") + "\n+++ B " + str_of(l, "b_capture") + "\n";
    } else if (kind == "diff_process") {
      text += "\n" + str_of(l, "program") + " (pid " + pid_text(l["a_pid"]) + " -> " + pid_text(l["b_pid"]) + ")" +
              (l["only_in"].is_null() ? "" : ": only in " + str_of(l, "only_in")) + "\n";
    } else if (kind == "diff_path") {
      text += std::string("  ") + (l["only_in"] == "A" ? "-" : "+") + " path " + str_of(l, "path") + "\n";
    } else if (kind == "diff_error") {
      text += "  + error " + str_of(l, "syscall") + " " + str_of(l, "errno") +
              (l["path"].is_null() ? "" : " " + str_of(l, "path")) + " (" + std::to_string(l["count"].get<int>()) +
              "x)\n";
    } else if (kind == "diff_latency") {
      const int64_t change = int_of(l, "change_ns").value_or(0);
      text += "  ~ " + str_of(l, "syscall") + " avg " + micros(int_of(l, "a_avg_ns").value_or(0)) + " -> " +
              micros(int_of(l, "b_avg_ns").value_or(0)) + " (" + (change > 0 ? "+" : "") + micros(change) + ", " +
              std::to_string(l["a_calls"].get<int>()) + " -> " + std::to_string(l["b_calls"].get<int>()) + " calls)\n";
    } else {
      text += "(a line of kind " + kind + ")\n";
    }
  }
  return text;
}

// The pid that exec'd `program` for the `nth` time (from 0) in a capture.
int64_t exec_pid(const std::vector<Json>& events, const std::string& program, size_t nth = 0) {
  const auto execs = select(events, [&](const Json& e) { return is_process(e, "exec") && e["comm"] == program; });
  return nth < execs.size() ? *int_of(execs[nth], "pid") : -1;
}

class DiffTest : public LiveTest {
 protected:
  // --diff A B --json, checked against the schema (one type per field path
  // too) and to say what --diff A B says as text, which `text` receives.
  std::vector<Json> diff_json(const std::string& a, const std::string& b, std::string& text) {
    Outcome as_text = decode({"--diff", a, b});
    EXPECT_EQ(as_text.status, 0) << as_text.describe();
    Outcome as_json = decode({"--diff", a, b, "--json"});
    EXPECT_EQ(as_json.status, 0) << as_json.describe();
    EXPECT_EQ(schema_problems(as_json.out, "views", dir_.path(), true), "");
    std::string error;
    auto lines = parse_json_lines(as_json.out, error);
    EXPECT_EQ(error, "");
    EXPECT_EQ(text_from_json(lines), as_text.out) << as_json.out;
    text = as_text.out;
    return lines;
  }
};

std::vector<Json> of_kind(const std::vector<Json>& lines, const std::string& kind) {
  return select(lines, [&](const Json& l) { return l["kind"] == kind; });
}

TEST_F(DiffTest, DiffShowsWhatTheSecondRunTouchedAndFailed) {
  const std::string a = file("a.etrace"), b = file("b.etrace");
  Outcome cap_a = capture({"-o", a, "--", "/bin/cat", "/etc/hostname"});
  ASSERT_EQ(cap_a.status, 0) << cap_a.describe();
  Outcome cap_b = capture({"-o", b, "--", "/bin/cat", "/etc/hostname", kMissingPath});
  ASSERT_EQ(cap_b.status, 1) << cap_b.describe();
  std::string text;
  const auto json = diff_json(a, b, text);
  const auto lines = lines_of(text);
  auto has = [&](const std::string& wanted) { return std::find(lines.begin(), lines.end(), wanted) != lines.end(); };
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("cat (pid "); }))
      << text;
  EXPECT_TRUE(has("  + path " + std::string(kMissingPath))) << text;
  EXPECT_TRUE(has("  + error openat ENOENT " + std::string(kMissingPath) + " (1x)")) << text;
  EXPECT_EQ(text.find("  - path"), std::string::npos) << "A named nothing B did not\n" << text;
  EXPECT_EQ(text.find("only in"), std::string::npos) << text;

  // The JSON: cat paired with cat, by the pids each capture ran it as.
  const auto pairs = of_kind(json, "diff_process");
  ASSERT_EQ(pairs.size(), 1u) << text;
  EXPECT_EQ(pairs[0]["program"], "cat");
  EXPECT_EQ(int_of(pairs[0], "a_pid"), exec_pid(decode_json(a), "cat"));
  EXPECT_EQ(int_of(pairs[0], "b_pid"), exec_pid(decode_json(b), "cat"));
  EXPECT_TRUE(pairs[0]["only_in"].is_null());
  // B's cat alone named the missing path and failed to open it (and, to
  // say so, looked for its messages' translations: paths and errors too).
  auto naming = [](const std::vector<Json>& lines) {
    return select(lines, [](const Json& l) { return l["path"] == kMissingPath; });
  };
  const auto paths = of_kind(json, "diff_path");
  EXPECT_TRUE(select(paths, [](const Json& l) { return l["only_in"] != "B"; }).empty()) << text;
  ASSERT_EQ(naming(paths).size(), 1u) << text;
  const auto errors = naming(of_kind(json, "diff_error"));
  ASSERT_EQ(errors.size(), 1u) << text;
  EXPECT_EQ(errors[0]["syscall"], "openat");
  EXPECT_EQ(errors[0]["errno"], "ENOENT");
  EXPECT_EQ(errors[0]["count"], 1);
}

// A second cat that only B ran, and paths each run's first cat alone named.
TEST_F(DiffTest, DiffJsonSaysWhichProcessesRanInOneRunOnly) {
  const std::string a = file("a.etrace"), b = file("b.etrace");
  Outcome cap_a = capture({"-o", a, "--", "/bin/sh", "-c", "cat /etc/hostname /etc/passwd >/dev/null; true"});
  ASSERT_EQ(cap_a.status, 0) << cap_a.describe();
  const std::string script =
      "cat /etc/hostname " + std::string(kMissingPath) + " >/dev/null 2>&1; cat /etc/hostname >/dev/null; true";
  Outcome cap_b = capture({"-o", b, "--", "/bin/sh", "-c", script});
  ASSERT_EQ(cap_b.status, 0) << cap_b.describe();
  std::string text;
  const auto json = diff_json(a, b, text);

  const auto only_b = select(of_kind(json, "diff_process"), [](const Json& l) { return !l["only_in"].is_null(); });
  ASSERT_EQ(only_b.size(), 1u) << text;
  EXPECT_EQ(only_b[0]["only_in"], "B");
  EXPECT_EQ(only_b[0]["program"], "cat");
  EXPECT_TRUE(only_b[0]["a_pid"].is_null());
  EXPECT_EQ(int_of(only_b[0], "b_pid"), exec_pid(decode_json(b), "cat", 1));
  // The first cats are paired: the path only A's named, the one only B's did.
  auto path_of = [&](const char* run, const std::string& path) {
    return select(of_kind(json, "diff_path"), [&](const Json& l) {
      return l["program"] == "cat" && l["only_in"] == run && l["path"] == path;
    });
  };
  const auto passwd = path_of("A", "/etc/passwd");
  ASSERT_EQ(passwd.size(), 1u) << text;
  EXPECT_EQ(int_of(passwd[0], "a_pid"), exec_pid(decode_json(a), "cat"));
  EXPECT_EQ(int_of(passwd[0], "b_pid"), exec_pid(decode_json(b), "cat"));
  EXPECT_EQ(path_of("B", kMissingPath).size(), 1u) << text;
}

}  // namespace
}  // namespace etrace::live
