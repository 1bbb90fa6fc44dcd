// Run-a-command mode: etrace-capture starts the workload's scripted run
// (tests/live/workload.c), and every call of the script must come back from
// etrace-decode --json with the right process, arguments and return value.
#include <fcntl.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <set>
#include <sstream>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

// etrace-capture's default --bytes: what it copies of a buffer argument.
constexpr size_t kDefaultBytes = 256;

// An argument as decoded ("filename", "buf"...), or null when it is absent.
Json arg_json(const Json& event, const char* name) {
  auto args = event.find("args");
  if (args == event.end() || !args->is_object()) return nullptr;
  auto arg = args->find(name);
  return arg == args->end() ? Json(nullptr) : *arg;
}

bool has_arg(const Json& event, const char* name) { return !arg_json(event, name).is_null(); }

// wait4's status as strace shows it for a child that exited with `code`.
std::string exited_status(int code) { return "[{WIFEXITED(s) && WEXITSTATUS(s) == " + std::to_string(code) + "}]"; }

int64_t wall_ns_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Checks every call of `workload run` in `events`; `window` bounds the wall
// clock times.
void expect_scripted_run(const std::vector<Json>& events, std::pair<int64_t, int64_t> window) {
  // The parent: the only lseek to kParentOffset. Its fd is the hostname file.
  auto seeks = select(events, [](const Json& e) { return is_call(e, "lseek") && arg_of(e, "offset") == kParentOffset; });
  EXPECT_EQ(seeks.size(), 1u) << summary(calls(events, "lseek"));
  if (seeks.empty()) return;
  const Json& seek = seeks[0];
  const int64_t P = *int_of(seek, "pid");
  const auto fd = arg_of(seek, "fd");
  EXPECT_EQ(int_of(seek, "tid"), P);
  EXPECT_EQ(arg_of(seek, "whence"), SEEK_SET);
  EXPECT_EQ(int_of(seek, "ret"), kParentOffset);
  EXPECT_TRUE(is_null(seek, "errno")) << seek.dump();
  EXPECT_EQ(str_of(seek, "comm"), kWorkloadComm);

  // Its first traced call is its execve, which succeeded.
  auto mine = calls(events, "", P);
  ASSERT_FALSE(mine.empty());
  auto first = std::min_element(mine.begin(), mine.end(), [](const Json& a, const Json& b) {
    return int_of(a, "ts_ns") < int_of(b, "ts_ns");
  });
  EXPECT_EQ(str_of(*first, "syscall"), "execve") << first->dump();
  EXPECT_EQ(int_of(*first, "ret"), 0) << first->dump();
  EXPECT_EQ(arg_text(*first, "filename"), kWorkload) << first->dump();
  EXPECT_EQ(arg_json(*first, "argv"), Json::array({kWorkload, "run"})) << first->dump();
  EXPECT_EQ(select(events, [&](const Json& e) { return is_process(e, "exec") && int_of(e, "pid") == P; }).size(), 1u);

  // openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = fd: flags 0 tells it from ld.so's O_CLOEXEC opens.
  auto opens = select(events, [&](const Json& e) {
    return is_call(e, "openat") && int_of(e, "pid") == P && int_of(e, "ret") == fd && arg_of(e, "flags") == 0;
  });
  ASSERT_EQ(opens.size(), 1u) << summary(calls(events, "openat", P));
  EXPECT_EQ(arg_text(opens[0], "filename"), "/etc/hostname") << opens[0].dump();
  EXPECT_EQ(arg_text(opens[0], "flags"), "O_RDONLY") << opens[0].dump();
  EXPECT_EQ(arg_text(opens[0], "dfd"), "AT_FDCWD") << opens[0].dump();
  EXPECT_EQ(arg_of(opens[0], "dfd"), -100) << opens[0].dump();  // int dfd: AT_FDCWD, signed
  // Like strace, the mode only when O_CREAT or O_TMPFILE makes the kernel read it.
  EXPECT_FALSE(has_arg(opens[0], "mode")) << opens[0].dump();

  // The open of a missing path fails with ENOENT, ret the raw -2. The
  // workload passes a non-zero mode: without O_CREAT it is still left out.
  auto missing = select(events, [&](const Json& e) { return is_call(e, "openat") && arg_text(e, "filename") == kMissingPath; });
  ASSERT_EQ(missing.size(), 1u) << summary(calls(events, "openat"));
  EXPECT_EQ(int_of(missing[0], "pid"), P);
  EXPECT_EQ(arg_text(missing[0], "dfd"), "AT_FDCWD") << missing[0].dump();
  EXPECT_EQ(arg_of(missing[0], "flags"), O_RDONLY);
  EXPECT_EQ(arg_text(missing[0], "flags"), "O_RDONLY") << missing[0].dump();
  EXPECT_FALSE(has_arg(missing[0], "mode")) << "mode " << kMissingMode << " without O_CREAT: " << missing[0].dump();
  EXPECT_EQ(int_of(missing[0], "ret"), -2) << missing[0].dump();
  EXPECT_EQ(str_of(missing[0], "errno"), "ENOENT") << missing[0].dump();
  EXPECT_TRUE(int_of(missing[0], "duration_ns").has_value());

  // write(nullfd, buf, 777) = 777, to the fd of the O_WRONLY open.
  auto writes = calls(events, "write", P);
  ASSERT_EQ(writes.size(), 1u) << summary(writes);
  EXPECT_EQ(arg_of(writes[0], "count"), kWriteBytes);
  // The buffer: the first kDefaultBytes of it, and its real length.
  const Json buf = arg_json(writes[0], "buf");
  ASSERT_TRUE(buf.is_object()) << writes[0].dump();
  EXPECT_EQ(int_of(buf, "len"), kWriteBytes) << buf.dump();
  EXPECT_EQ(buf.value("truncated", false), true) << buf.dump();
  EXPECT_EQ(buf.value("data", ""), std::string(kDefaultBytes, 'e')) << buf.dump();
  EXPECT_EQ(int_of(writes[0], "ret"), kWriteBytes);
  EXPECT_TRUE(is_null(writes[0], "errno"));
  auto null_opens = select(events, [&](const Json& e) {
    return is_call(e, "openat") && int_of(e, "pid") == P && arg_of(e, "flags") == O_WRONLY;
  });
  ASSERT_EQ(null_opens.size(), 1u) << summary(calls(events, "openat", P));
  EXPECT_EQ(int_of(null_opens[0], "ret"), arg_of(writes[0], "fd"));

  // Exactly kGetpids getpid calls in the whole capture, all the parent's.
  auto getpids = calls(events, "getpid");
  EXPECT_EQ(static_cast<int64_t>(getpids.size()), kGetpids);
  EXPECT_EQ(static_cast<int64_t>(select(getpids, [&](const Json& e) {
                                   return int_of(e, "pid") == P && int_of(e, "ret") == P && e.at("args") == Json::object();
                                 }).size()),
            kGetpids)
      << "every getpid is the parent's, returns its pid and has no arguments";

  // fork: the parent's clone returns the child's pid; a fork event names it too.
  auto forks = select(events, [&](const Json& e) {
    return (is_call(e, "clone") || is_call(e, "clone3") || is_call(e, "fork")) && int_of(e, "pid") == P;
  });
  ASSERT_EQ(forks.size(), 1u) << summary(calls(events, "", P));
  const int64_t C = int_of(forks[0], "ret").value_or(0);
  ASSERT_GT(C, 0) << forks[0].dump();
  EXPECT_NE(C, P);
  auto fork_events = select(events, [&](const Json& e) { return is_process(e, "fork") && int_of(e, "pid") == P; });
  ASSERT_EQ(fork_events.size(), 1u) << summary(select(events, [](const Json& e) { return is_process(e); }));
  EXPECT_EQ(int_of(fork_events[0], "child_pid"), C);

  // The child's own calls carry its pid: lseek on the inherited fd, getppid.
  auto child_seeks = select(events, [](const Json& e) { return is_call(e, "lseek") && arg_of(e, "offset") == kChildOffset; });
  ASSERT_EQ(child_seeks.size(), 1u) << summary(calls(events, "lseek"));
  EXPECT_EQ(int_of(child_seeks[0], "pid"), C);
  EXPECT_EQ(int_of(child_seeks[0], "tid"), C);
  EXPECT_EQ(arg_of(child_seeks[0], "fd"), fd);
  EXPECT_EQ(int_of(child_seeks[0], "ret"), kChildOffset);
  auto getppids = calls(events, "getppid", C);
  ASSERT_EQ(getppids.size(), 1u) << summary(calls(events, "", C));
  EXPECT_EQ(int_of(getppids[0], "ret"), P);

  // The child's exit_group(42) never returns; its exit is seen by the parent's wait4 and by an exit event.
  auto child_exits = calls(events, "exit_group", C);
  ASSERT_EQ(child_exits.size(), 1u) << summary(calls(events, "", C));
  EXPECT_EQ(arg_of(child_exits[0], "error_code"), kChildExit);
  EXPECT_TRUE(is_null(child_exits[0], "ret")) << child_exits[0].dump();
  EXPECT_TRUE(is_null(child_exits[0], "duration_ns")) << child_exits[0].dump();
  EXPECT_EQ(child_exits[0].value("unfinished", false), true) << child_exits[0].dump();
  auto waits = calls(events, "wait4", P);
  ASSERT_EQ(waits.size(), 1u) << summary(calls(events, "", P));
  EXPECT_EQ(arg_of(waits[0], "upid"), C) << waits[0].dump();
  EXPECT_EQ(int_of(waits[0], "ret"), C) << waits[0].dump();
  EXPECT_EQ(arg_text(waits[0], "stat_addr"), exited_status(kChildExit)) << waits[0].dump();
  auto child_end = select(events, [&](const Json& e) { return is_process(e, "exit") && int_of(e, "pid") == C; });
  ASSERT_EQ(child_end.size(), 1u) << summary(select(events, [](const Json& e) { return is_process(e); }));
  EXPECT_EQ(int_of(child_end[0], "exit_code"), kChildExit) << child_end[0].dump();

  // The parent closes the file and exits with kExit.
  auto closes = select(events, [&](const Json& e) { return is_call(e, "close") && int_of(e, "pid") == P && arg_of(e, "fd") == fd; });
  EXPECT_FALSE(closes.empty()) << summary(calls(events, "close", P));
  if (!closes.empty()) {
    EXPECT_EQ(int_of(closes.back(), "ret"), 0);
  }
  auto exits = calls(events, "exit_group", P);
  ASSERT_EQ(exits.size(), 1u) << summary(calls(events, "", P));
  EXPECT_EQ(arg_of(exits[0], "error_code"), kExit);
  EXPECT_TRUE(is_null(exits[0], "ret")) << exits[0].dump();
  EXPECT_EQ(exits[0].value("unfinished", false), true) << exits[0].dump();
  auto parent_end = select(events, [&](const Json& e) { return is_process(e, "exit") && int_of(e, "pid") == P; });
  ASSERT_EQ(parent_end.size(), 1u);
  EXPECT_EQ(int_of(parent_end[0], "exit_code"), kExit) << parent_end[0].dump();

  // The script's order survives: completion order is the parent's program order.
  auto at = [&](const Json& wanted) { return index_of(events, [&](const Json& e) { return e == wanted; }); };
  const long order[] = {at(opens[0]),      at(seek),     at(missing[0]), at(null_opens[0]), at(writes[0]),
                        at(getpids.front()), at(getpids.back()), at(forks[0]), at(waits[0]),   at(closes.back())};
  for (size_t i = 1; i < std::size(order); ++i) EXPECT_LT(order[i - 1], order[i]) << "step " << i << " of the script";

  // Nothing but the two processes; times are wall clock within the run, durations sane.
  for (const auto& e : events) {
    const auto pid = int_of(e, "pid");
    EXPECT_TRUE(pid == P || pid == C) << "an event of a process the workload did not start: " << e.dump();
    const auto ts = int_of(e, "ts_ns");
    ASSERT_TRUE(ts.has_value()) << e.dump();
    EXPECT_GE(*ts, window.first) << e.dump();
    EXPECT_LE(*ts, window.second) << e.dump();
    EXPECT_EQ(str_of(e, "ts").back(), 'Z') << e.dump();
    if (auto d = int_of(e, "duration_ns")) {
      EXPECT_LE(*d, window.second - window.first) << e.dump();
    }
    if (is_call(e) && !e.value("unfinished", false)) {
      EXPECT_TRUE(int_of(e, "duration_ns") && int_of(e, "ret")) << "a completed call: " << e.dump();
    }
  }
}

// The closing table says nothing was lost, and holds exactly the records
// expected for getpid (an entry and an exit each).
void expect_nothing_lost(const Outcome& cap) {
  auto total = closing_row(cap.err, "total");
  ASSERT_TRUE(total.has_value()) << "no closing table: " << cap.describe();
  EXPECT_GT(total->first, 0u);
  EXPECT_EQ(total->second, 0u) << cap.err;
  EXPECT_EQ(cap.err.find("\nlost "), std::string::npos) << cap.err;
}

TEST_F(LiveTest, RunCommandRecordsEveryCallOfTheScript) {
  const std::string out = file("run.etrace");
  const int64_t before = wall_ns_now();
  Outcome cap = capture({"-o", out, "--", kWorkload, "run"});
  const int64_t after = wall_ns_now();
  ASSERT_FALSE(cap.timed_out) << cap.describe();
  EXPECT_EQ(cap.status, kExit) << "etrace-capture exits with the command's status; " << cap.describe();
  expect_nothing_lost(cap);
  auto getpid_row = closing_row(cap.err, "getpid");
  ASSERT_TRUE(getpid_row.has_value()) << cap.err;
  EXPECT_EQ(getpid_row->first, 2u * kGetpids) << "an entry and an exit record per call\n" << cap.err;

  auto events = decode_json(out);
  ASSERT_FALSE(events.empty());
  expect_scripted_run(events, {before, after});

  // --stats agrees: kGetpids calls, one error (the ENOENT open... and whatever
  // ld.so probed), and the trailer's count of records equals the closing table's.
  Outcome stats = decode({out, "--stats"});
  EXPECT_EQ(stats.status, 0) << stats.describe();
  EXPECT_EQ(stats.err, "");
  bool getpid_line = false;
  for (const auto& line : lines_of(stats.out)) {
    // "% time, seconds, usecs/call, calls, [errors,] p50, p99, max, syscall": no errors here.
    std::istringstream in(line);
    std::vector<std::string> cells{std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
    if (cells.size() == 8 && cells.back() == "getpid") {
      getpid_line = true;
      EXPECT_EQ(cells[3], std::to_string(kGetpids)) << line;
    }
  }
  EXPECT_TRUE(getpid_line) << stats.out;
  auto total = closing_row(cap.err, "total");
  ASSERT_TRUE(total.has_value());
  EXPECT_NE(stats.out.find("capture: " + std::to_string(total->first) + " records written, 0 lost"), std::string::npos)
      << stats.out;
}

TEST_F(LiveTest, StreamsThroughStandardOutputIntoDecode) {
  const int64_t before = wall_ns_now();
  auto [cap, dec] = run_pipeline({kCapture, "-o", "-", "--", kWorkload, "run"}, {kDecode, "-", "--json"}, dir_.path());
  const int64_t after = wall_ns_now();
  EXPECT_EQ(cap.status, kExit) << cap.describe();
  expect_nothing_lost(cap);
  EXPECT_EQ(dec.status, 0) << dec.describe();
  EXPECT_EQ(dec.err, "");
  EXPECT_EQ(schema_problems(dec.out, "events", dir_.path()), "");
  std::string error;
  auto events = parse_json_lines(dec.out, error);
  EXPECT_EQ(error, "");
  expect_scripted_run(events, {before, after});
}

// A text line without its "[pid N] " leader: strace writes that leader only
// once a second process is traced, and pads the pid; the tests compare what
// follows it.
std::string without_leader(const std::string& line) {
  if (line.rfind("[pid ", 0) != 0) return line;
  const auto close = line.find("] ");
  return close == std::string::npos ? line : line.substr(close + 2);
}

// The index of the first line equal to `wanted` after line `after`, or -1.
long line_after(const std::vector<std::string>& lines, const std::string& wanted, long after) {
  for (size_t i = static_cast<size_t>(after + 1); i < lines.size(); ++i)
    if (lines[i] == wanted) return static_cast<long>(i);
  return -1;
}

// The script's lines as `strace -f` prints them (leaders aside, and without
// the spaces strace adds before " = " to align results in a column), in
// each process's program order (ld.so's own calls, "close(3) = 0" among
// them, come before). The numbers no one knows in advance (pids, fds, an
// address) come from the JSON of the same capture.
TEST_F(LiveTest, TextOutputReadsLikeStrace) {
  const std::string out = file("text.etrace");
  Outcome cap = capture({"-o", out, "--", kWorkload, "run"});
  EXPECT_EQ(cap.status, kExit) << cap.describe();
  Outcome text = decode({out});
  EXPECT_EQ(text.status, 0) << text.describe();
  EXPECT_EQ(text.err, "");
  std::vector<std::string> lines;
  for (const auto& l : lines_of(text.out)) lines.push_back(without_leader(l));

  auto events = decode_json(out);
  auto seeks = select(events, [](const Json& e) { return is_call(e, "lseek") && arg_of(e, "offset") == kParentOffset; });
  ASSERT_EQ(seeks.size(), 1u) << summary(calls(events, "lseek"));
  const std::string P = std::to_string(*int_of(seeks[0], "pid"));
  const std::string fd = std::to_string(arg_of(seeks[0], "fd").value_or(-1));
  auto writes = calls(events, "write", *int_of(seeks[0], "pid"));
  ASSERT_EQ(writes.size(), 1u) << summary(writes);
  const std::string nullfd = std::to_string(arg_of(writes[0], "fd").value_or(-1));
  auto forks = calls(events, "clone", *int_of(seeks[0], "pid"));
  ASSERT_EQ(forks.size(), 1u) << summary(calls(events, "", *int_of(seeks[0], "pid")));
  const std::string C = std::to_string(int_of(forks[0], "ret").value_or(-1));
  const std::string child_tidptr = arg_text(forks[0], "child_tidptr");
  ASSERT_EQ(child_tidptr.rfind("0x", 0), 0u) << forks[0].dump();

  const std::string status = exited_status(kChildExit);
  std::vector<std::string> parent = {
      "openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = " + fd,
      "lseek(" + fd + ", " + std::to_string(kParentOffset) + ", SEEK_SET) = " + std::to_string(kParentOffset),
      "openat(AT_FDCWD, \"" + std::string(kMissingPath) + "\", O_RDONLY) = -1 ENOENT (No such file or directory)",
      "openat(AT_FDCWD, \"/dev/null\", O_WRONLY) = " + nullfd,
      // 32 characters: the default of etrace-decode -s, as of strace -s.
      "write(" + nullfd + ", \"" + std::string(32, 'e') + "\"..., " + std::to_string(kWriteBytes) + ") = " +
          std::to_string(kWriteBytes),
      "close(" + nullfd + ") = 0",
      "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=" + child_tidptr +
          ") = " + C,
  };
  // wait4 is on one line when nothing came between its entry and its
  // return; otherwise split, its status (an output) on the resumed line.
  const std::string wait_whole = "wait4(" + C + ", " + status + ", 0, NULL) = " + C;
  if (std::count(lines.begin(), lines.end(), wait_whole) > 0) {
    parent.push_back(wait_whole);
  } else {
    parent.push_back("wait4(" + C + ",  <unfinished ...>");
    parent.push_back("<... wait4 resumed>" + status + ", 0, NULL) = " + C);
  }
  parent.push_back("close(" + fd + ") = 0");
  parent.push_back("exit_group(" + std::to_string(kExit) + ") = ?");
  parent.push_back("+++ exited with " + std::to_string(kExit) + " +++");
  const std::vector<std::string> child = {
      "lseek(" + fd + ", " + std::to_string(kChildOffset) + ", SEEK_SET) = " + std::to_string(kChildOffset),
      "getppid() = " + P,
      "exit_group(" + std::to_string(kChildExit) + ") = ?",
      "+++ exited with " + std::to_string(kChildExit) + " +++",
  };
  const std::vector<std::string>* scripts[] = {&parent, &child};
  for (const auto* script : scripts) {
    long previous = -1;
    for (const auto& wanted : *script) {
      const long at = line_after(lines, wanted, previous);
      EXPECT_GE(at, 0) << "no line\n  " << wanted << "\nafter line " << previous + 1 << " of:\n" << text.out;
      if (at >= 0) previous = at;
    }
  }
}

// --bytes and --string-limit bound what the capture copies; the JSON says
// what was cut and how long the original was.
TEST_F(LiveTest, CopyLimitsCutBuffersAndStrings) {
  const std::string out = file("limits.etrace");
  Outcome cap = capture({"--bytes", "16", "--string-limit", "5", "-o", out, "--", kWorkload, "run"});
  EXPECT_EQ(cap.status, kExit) << cap.describe();
  auto events = decode_json(out);
  auto seeks = select(events, [](const Json& e) { return is_call(e, "lseek") && arg_of(e, "offset") == kParentOffset; });
  ASSERT_EQ(seeks.size(), 1u) << summary(calls(events, "lseek"));
  const int64_t P = *int_of(seeks[0], "pid");

  auto writes = calls(events, "write", P);
  ASSERT_EQ(writes.size(), 1u) << summary(writes);
  const Json buf = arg_json(writes[0], "buf");
  ASSERT_TRUE(buf.is_object()) << writes[0].dump();
  EXPECT_EQ(buf.value("data", ""), std::string(16, 'e')) << buf.dump();
  EXPECT_EQ(int_of(buf, "len"), kWriteBytes) << buf.dump();
  EXPECT_EQ(buf.value("truncated", false), true) << buf.dump();

  // The hostname open, by its fd (its path is cut now).
  auto opens = select(events, [&](const Json& e) {
    return is_call(e, "openat") && int_of(e, "pid") == P && int_of(e, "ret") == arg_of(seeks[0], "fd") &&
           arg_of(e, "flags") == 0;
  });
  ASSERT_EQ(opens.size(), 1u) << summary(calls(events, "openat", P));
  // A cut string is still a string; "partial" says it was cut, and how long it was.
  EXPECT_EQ(arg_text(opens[0], "filename"), "/etc/") << opens[0].dump();
  const Json partial = opens[0].value("partial", Json::array());
  auto cut = std::find_if(partial.begin(), partial.end(), [](const Json& p) { return p.value("at", "") == "/args/filename"; });
  ASSERT_NE(cut, partial.end()) << opens[0].dump();
  // The real length, or (the capture stopped reading before the end) the
  // bytes it read: a lower bound, never more than the path's 13 bytes.
  const int64_t len = int_of(*cut, "len").value_or(-1);
  EXPECT_GE(len, 5) << cut->dump();
  EXPECT_LE(len, static_cast<int64_t>(std::string("/etc/hostname").size())) << cut->dump();
}

// The arguments of the calls whose structs come from BTF: ld.so's
// newfstatat (struct stat) and prlimit64 (struct rlimit64).
std::vector<Json> struct_args(const std::vector<Json>& events) {
  std::vector<Json> out;
  for (const auto& e : select(events, [](const Json& e) { return is_call(e, "newfstatat") || is_call(e, "prlimit64"); }))
    out.push_back(e.value("args", Json()));
  return out;
}

// A capture made with --no-btf carries no kernel types, yet decodes its
// structs on the machine that made it, from the running kernel's BTF; a
// --btf the decoder cannot read is an error, not silently struct-less output.
TEST_F(LiveTest, CaptureWithoutBtfDecodesStructsOnTheSameKernel) {
  const std::string with = file("with-btf.etrace");
  const std::string without = file("no-btf.etrace");
  Outcome cap = capture({"-o", with, "--", kWorkload, "run"});
  EXPECT_EQ(cap.status, kExit) << cap.describe();
  cap = capture({"--no-btf", "-o", without, "--", kWorkload, "run"});
  EXPECT_EQ(cap.status, kExit) << cap.describe();

  const auto expected = struct_args(decode_json(with));
  const auto got = struct_args(decode_json(without));
  auto stats = select(got, [](const Json& a) { return a.value("statbuf", Json()).contains("st_mode"); });
  EXPECT_FALSE(stats.empty()) << "struct stat decoded: " << summary(got);
  // The same files statted by the same ld.so: the same structs, member by member.
  EXPECT_EQ(got, expected) << "without BTF:" << summary(got) << "\nwith BTF:" << summary(expected);

  Outcome bad = decode({"--btf", "/nonexistent", without});
  EXPECT_NE(bad.status, 0) << bad.describe();
  EXPECT_EQ(bad.out, "") << bad.describe();
  const auto err = lines_of(bad.err);
  ASSERT_EQ(err.size(), 1u) << "one sentence: " << bad.describe();
  EXPECT_EQ(err[0].rfind("etrace-decode: ", 0), 0u) << err[0];
  EXPECT_NE(err[0].find("/nonexistent"), std::string::npos) << "names the path: " << err[0];
  EXPECT_EQ(err[0].find("warning"), std::string::npos) << err[0];
}

TEST_F(LiveTest, SyscallFilterKeepsOnlyTheNamedCalls) {
  const std::string out = file("filtered.etrace");
  Outcome cap = capture({"-e", "trace=getpid", "--syscall", "lseek", "-o", out, "--", kWorkload, "run"});
  EXPECT_EQ(cap.status, kExit) << "the held command still starts at its (untraced) execve; " << cap.describe();
  expect_nothing_lost(cap);
  for (const auto& line : lines_of(cap.err)) {
    std::istringstream in(line);
    std::string name;
    uint64_t records, lost;
    if (in >> name >> records >> lost && name != "total") {
      EXPECT_TRUE(name == "getpid" || name == "lseek") << "closing table row " << line;
    }
  }

  auto events = decode_json(out);
  std::set<std::string> names;
  for (const auto& e : events)
    if (is_call(e)) names.insert(str_of(e, "syscall"));
  EXPECT_EQ(names, (std::set<std::string>{"getpid", "lseek"})) << summary(events);
  EXPECT_EQ(static_cast<int64_t>(calls(events, "getpid").size()), kGetpids);
  auto seeks = calls(events, "lseek");
  ASSERT_EQ(seeks.size(), 2u) << summary(seeks);
  EXPECT_EQ(arg_of(seeks[0], "offset"), kParentOffset);
  EXPECT_EQ(arg_of(seeks[1], "offset"), kChildOffset);
  EXPECT_NE(int_of(seeks[0], "pid"), int_of(seeks[1], "pid")) << "the child (followed) has its own pid";
}

TEST_F(LiveTest, UnknownSyscallNameIsAnErrorWithSuggestions) {
  Outcome cap = capture({"-e", "getpidd", "-o", file("never.etrace"), "--", kWorkload, "run"});
  EXPECT_EQ(cap.status, 1) << cap.describe();
  const std::string lead = "unknown syscall 'getpidd' (closest: ";
  const auto at = cap.err.find(lead);
  ASSERT_NE(at, std::string::npos) << cap.err;
  const std::string closest = cap.err.substr(at + lead.size(), cap.err.find(')', at) - at - lead.size());
  EXPECT_NE((", " + closest + ",").find(", getpid,"), std::string::npos) << "getpid is among the closest: " << cap.err;
  EXPECT_EQ(cap.out, "");
}

TEST_F(LiveTest, DecodeFiltersSelectFromARealCapture) {
  const std::string out = file("select.etrace");
  Outcome cap = capture({"-o", out, "--", kWorkload, "run"});
  EXPECT_EQ(cap.status, kExit) << cap.describe();
  auto all = decode_json(out);
  auto forks = calls(all, "clone");
  ASSERT_EQ(forks.size(), 1u) << summary(all);
  const int64_t child = int_of(forks[0], "ret").value_or(0);
  ASSERT_GT(child, 0);

  auto only = [&](const std::vector<std::string>& filter) { return decode_json(out, filter); };
  // Like strace -e trace=lseek: process events (exits, forks) stay.
  auto seeks = only({"--syscall", "lseek"});
  EXPECT_EQ(calls(seeks, ""), calls(all, "lseek")) << summary(seeks);
  auto of_child = only({"--pid", std::to_string(child)});
  EXPECT_EQ(of_child, select(all, [&](const Json& e) { return int_of(e, "pid") == child; })) << summary(of_child);
  EXPECT_FALSE(of_child.empty());
  auto by_comm = only({"--comm", kWorkloadComm});
  EXPECT_EQ(by_comm.size(), select(all, [](const Json& e) { return str_of(e, "comm") == kWorkloadComm; }).size());
  EXPECT_TRUE(only({"--comm", "no-such-comm"}).empty());
}

TEST_F(LiveTest, CommandThatCannotRunExits127) {
  Outcome cap = capture({"-o", file("missing.etrace"), "--", "/nonexistent/etrace-live-command"});
  EXPECT_EQ(cap.status, 127) << cap.describe();
  EXPECT_NE(cap.err.find("cannot run '/nonexistent/etrace-live-command': No such file or directory"),
            std::string::npos)
      << cap.err;
}

// Run-a-command: the command is found in PATH before the fork, so its first
// traced call is the execve that runs it, and one that cannot be found is
// refused like a shell refuses it.
TEST_F(LiveTest, ACommandIsFoundInPathBeforeItsExec) {
  // A program no shell has built in, where the shell finds it.
  Outcome where = run({"/bin/sh", "-c", "command -v printenv"}, dir_.path());
  ASSERT_EQ(where.status, 0) << where.describe();
  const std::string path = where.out.substr(0, where.out.find('\n'));
  ASSERT_EQ(path.front(), '/') << where.out;
  const std::string out = file("printenv.etrace");
  Outcome cap = capture({"-q", "-o", out, "--", "printenv", "HOME"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  auto execs = calls(decode_json(out), "execve");
  ASSERT_EQ(execs.size(), 1u) << summary(execs);
  EXPECT_EQ(arg_text(execs[0], "filename"), path);
  EXPECT_EQ(int_of(execs[0], "ret"), 0);

  const std::string missing = file("missing.etrace");
  Outcome none = capture({"-o", missing, "--", "etrace-no-such-command"});
  EXPECT_EQ(none.status, 127) << none.describe();
  EXPECT_EQ(none.err, "etrace-capture: cannot run 'etrace-no-such-command': no such command in PATH\n");
  EXPECT_FALSE(std::filesystem::exists(missing)) << "nothing started";
}

TEST_F(LiveTest, KilledCommandExitsWith128PlusSignal) {
  const std::string out = file("killed.etrace");
  std::string error;
  // The workload's "ready PID" comes through etrace-capture's stdout, which the command inherits.
  // One thread: ProcessExitIsReportedOnceWhenThreadsDieTogether covers several.
  auto cap = Background::start({kCapture, "-o", out, "--", kWorkload, "crowd", "1"}, dir_.path(), error);
  ASSERT_TRUE(cap.has_value()) << error;
  int64_t pid = 0;
  ASSERT_EQ(std::sscanf(cap->first_line().c_str(), "ready %ld", &pid), 1) << cap->first_line();
  ASSERT_EQ(kill(static_cast<pid_t>(pid), SIGKILL), 0);
  Outcome o = cap->wait();
  EXPECT_EQ(o.status, 128 + SIGKILL) << o.describe();

  auto events = decode_json(out);
  auto ends = select(events, [&](const Json& e) { return is_process(e, "exit") && int_of(e, "pid") == pid; });
  ASSERT_EQ(ends.size(), 1u) << summary(select(events, [](const Json& e) { return is_process(e); }));
  EXPECT_EQ(str_of(ends[0], "signal"), "SIGKILL") << ends[0].dump();
}

}  // namespace
}  // namespace etrace::live
