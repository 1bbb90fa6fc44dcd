// etrace-decode --files, --conns and --diff on captures the builder
// writes, through the real binary. The builder copies no payloads, so the
// files here are the ones made without a path (sockets, eventfds); paths
// are the live tests' (tests/live/views_test.cpp).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/unit/decode/decode_helpers.h"
#include "tests/unit/decode/decoder_run.h"

using namespace etrace::test;

namespace {

enum ViewNr : uint16_t { kClose = 3, kDup = 32, kSocket = 41, kEventfd2 = 290 };

CaptureBuilder views_capture() {
  auto b = standard_capture();
  b.syscall(kClose, "close", false).syscall(kDup, "dup", false).syscall(kSocket, "socket", false);
  b.syscall(kEventfd2, "eventfd2", false);
  return b;
}

// A whole call of process `pid`: entry at `at`, exit 100 ns later.
void call(CaptureBuilder& b, uint64_t at, uint32_t pid, uint16_t nr, std::array<uint64_t, 6> args, int64_t ret) {
  b.enter(at, pid, pid, nr, args);
  b.exit(at + 100, pid, pid, nr, ret);
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

// Monotonic 0 is 2026-11-22T03:00:00Z in standard captures.
std::string wall(uint64_t ns) { return std::to_string(1795316400000000000ull + ns); }

// curl (100) makes a TCP socket, talks on it through two descriptors (a
// dup shares the one open file), and closes both; it also makes an eventfd
// it never closes. A second process (200) writes to its own socket.
CaptureBuilder two_processes() {
  auto b = views_capture();
  b.task(0, 100, 100, 1, "curl");
  call(b, 1000, 100, kSocket, {2 /* AF_INET */, 1 /* SOCK_STREAM */, 0}, 3);
  call(b, 2000, 100, kWrite, {3, kBuf, 10}, 10);
  call(b, 3000, 100, kRead, {3, kBuf, 100}, 7);
  call(b, 4000, 100, kRead, {3, kBuf, 100}, -EAGAIN);
  call(b, 5000, 100, kDup, {3}, 4);
  call(b, 6000, 100, kWrite, {4, kBuf, 5}, 5);
  call(b, 7000, 100, kClose, {3}, 0);
  call(b, 8000, 100, kEventfd2, {0, 0}, 5);
  call(b, 9000, 100, kWrite, {5, kBuf, 8}, 8);
  call(b, 10000, 100, kClose, {4}, 0);
  b.task(11000, 200, 200, 1, "nc");
  call(b, 12000, 200, kSocket, {2, 2 /* SOCK_DGRAM */, 0}, 3);
  call(b, 13000, 200, kWrite, {3, kBuf, 4}, 4);
  return b;
}

TEST(ConnsView, OneRowPerSocketWithItsCallsBytesAndErrors) {
  const auto run = run_decoder(two_processes().build(), "--conns --json");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto rows = json_lines(run.out);
  ASSERT_EQ(rows.size(), 2u) << run.out;
  const auto& tcp = rows[0];
  EXPECT_EQ(tcp["kind"], "conn");
  EXPECT_EQ(tcp["protocol"], "TCP");
  EXPECT_EQ(tcp["fd"], 3);
  EXPECT_EQ(tcp["pid"], 100);
  EXPECT_EQ(tcp["comm"], "curl");
  // Opened when socket() returned; closed when the last descriptor of it (the dup) went.
  EXPECT_EQ(tcp["opened_ns"], wall(1100));
  EXPECT_EQ(tcp["closed_ns"], wall(10100));
  EXPECT_EQ(tcp["calls"], 7) << "write, read, read, dup, write, close, close";
  EXPECT_EQ(tcp["errors"], 1) << "the EAGAIN";
  EXPECT_EQ(tcp["received_bytes"], "7");
  EXPECT_EQ(tcp["sent_bytes"], "15");
  const auto& udp = rows[1];
  EXPECT_EQ(udp["protocol"], "UDP");
  EXPECT_EQ(udp["pid"], 200);
  EXPECT_TRUE(udp["closed_ns"].is_null()) << "still open when the capture ended";
  EXPECT_EQ(udp["sent_bytes"], "4");
}

TEST(FilesView, FilesAreNotSocketsAndFiltersChooseTheRows) {
  const auto files = run_decoder(two_processes().build(), "--files --json");
  ASSERT_EQ(files.status, 0) << files.err;
  const auto rows = json_lines(files.out);
  ASSERT_EQ(rows.size(), 1u) << files.out;
  EXPECT_EQ(rows[0]["kind"], "file");
  EXPECT_EQ(rows[0]["name"], "anon_inode:[eventfd]");
  EXPECT_EQ(rows[0]["fd"], 5);
  EXPECT_EQ(rows[0]["calls"], 1);
  EXPECT_EQ(rows[0]["written_bytes"], "8");
  EXPECT_EQ(rows[0]["opened_ns"], wall(8100));
  EXPECT_TRUE(rows[0]["closed_ns"].is_null());

  const auto only_nc = run_decoder(two_processes().build(), "--files --conns --json --pid 200");
  ASSERT_EQ(only_nc.status, 0) << only_nc.err;
  const auto nc_rows = json_lines(only_nc.out);
  ASSERT_EQ(nc_rows.size(), 1u) << only_nc.out;
  EXPECT_EQ(nc_rows[0]["pid"], 200);
}

TEST(FilesView, TextTableHasAHeaderAndARowPerFile) {
  const auto run = run_decoder(two_processes().build(), "--files --conns");
  ASSERT_EQ(run.status, 0) << run.err;
  std::vector<std::string> lines;
  std::istringstream in(run.out);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 6u) << run.out;  // a header and a row for files, a blank line, a header and two rows for sockets
  EXPECT_NE(lines[0].find("WRITTEN"), std::string::npos) << lines[0];
  EXPECT_TRUE(lines[1].ends_with(" anon_inode:[eventfd]")) << lines[1];
  EXPECT_NE(lines[1].find("(open)"), std::string::npos) << lines[1];
  EXPECT_NE(lines[3].find("RECEIVED"), std::string::npos) << lines[3];
  EXPECT_NE(lines[4].find(" curl "), std::string::npos) << lines[4];
  EXPECT_NE(lines[4].find(" TCP "), std::string::npos) << lines[4];
}

TEST(ViewOptions, ReportsOfTheirOwn) {
  const auto run = run_decoder(two_processes().build(), "--files --stats");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("cannot be combined"), std::string::npos) << run.err;
}

// make (pid 100 in A, 200 in B) forks cc, which reads three times and, in
// B only, fails an open; B's reads are slower, and B runs ld besides.
CaptureBuilder build_run(uint32_t base, uint64_t read_ns, bool fails, bool with_ld) {
  auto b = views_capture();
  b.task(0, base, base, 1, "make");
  b.fork(100, base, base, base + 1, base + 1);
  b.exec(200, base + 1, base + 1, base + 1, "cc");
  for (uint64_t i = 0; i < 3; ++i) {
    b.enter(1000 + i * 10000, base + 1, base + 1, kRead, {3, kBuf, 100, 0, 0, 0});
    b.exit(1000 + i * 10000 + read_ns, base + 1, base + 1, kRead, 100);
  }
  if (fails) call(b, 50000, base + 1, kOpenat, {static_cast<uint64_t>(-100), 0, 0, 0, 0, 0}, -ENOENT);
  if (with_ld) {
    b.fork(60000, base, base, base + 2, base + 2);
    b.exec(61000, base + 2, base + 2, base + 2, "ld");
  }
  return b;
}

std::string diff_of(const std::string& a, const std::string& b, const std::string& options = "") {
  char dir[] = "/tmp/etrace-diff-test-XXXXXX";
  if (!mkdtemp(dir)) return "mkdtemp failed";
  const std::string d = dir;
  std::ofstream(d + "/a") << a;
  std::ofstream(d + "/b") << b;
  // run_decoder puts its capture last: --diff takes it as B.
  const auto run = run_decoder(b, options + "--diff " + d + "/a");
  std::system(("rm -rf " + d).c_str());
  return run.status == 0 ? run.out : "status " + std::to_string(run.status) + ": " + run.err;
}

TEST(DiffView, ProcessesAlignedByProgramWithNewErrorsAndLatency) {
  const std::string out = diff_of(build_run(100, 1000, false, false).build(), build_run(200, 4000, true, true).build());
  EXPECT_NE(out.find("\nmake (pid 100 -> 200)\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\ncc (pid 101 -> 201)\n"
                     "  + error openat ENOENT (1x)\n"
                     "  ~ read avg 1.000 us -> 4.000 us (+3.000 us, 3 -> 3 calls)\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\nld (pid - -> 202): only in B\n"), std::string::npos) << out;
  // The same run against itself: every process paired, nothing to say about any.
  const std::string same = diff_of(build_run(100, 1000, true, true).build(), build_run(200, 1000, true, true).build());
  EXPECT_EQ(same.find("  "), std::string::npos) << same;
  EXPECT_EQ(same.find("only in"), std::string::npos) << same;
}

// The same comparison as JSON Lines: a line per pair of processes, then
// one per thing the text says about it, each naming its pair.
TEST(DiffView, JsonLinesHaveALineForEachThingTheTextSays) {
  const auto lines = json_lines(
      diff_of(build_run(100, 1000, false, false).build(), build_run(200, 4000, true, true).build(), "--json "));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0]["kind"], "diff");
  EXPECT_TRUE(lines[0]["a_capture"].get<std::string>().ends_with("/a")) << lines[0];
  EXPECT_EQ(lines[1], nlohmann::json::parse(
                          R"({"kind":"diff_process","program":"make","a_pid":100,"b_pid":200,"only_in":null})"));
  EXPECT_EQ(lines[2], nlohmann::json::parse(
                          R"({"kind":"diff_process","program":"cc","a_pid":101,"b_pid":201,"only_in":null})"));
  EXPECT_EQ(lines[3], nlohmann::json::parse(R"({"kind":"diff_error","program":"cc","a_pid":101,"b_pid":201,)"
                                            R"("syscall":"openat","errno":"ENOENT","path":null,"count":1})"));
  EXPECT_EQ(lines[4], nlohmann::json::parse(R"({"kind":"diff_latency","program":"cc","a_pid":101,"b_pid":201,)"
                                            R"("syscall":"read","a_avg_ns":"1000","b_avg_ns":"4000",)"
                                            R"("change_ns":"3000","a_calls":3,"b_calls":3})"));
  EXPECT_EQ(lines[5], nlohmann::json::parse(
                          R"({"kind":"diff_process","program":"ld","a_pid":null,"b_pid":202,"only_in":"B"})"));
  // A faster B: the change is negative, still in decimal digits.
  const auto faster = json_lines(
      diff_of(build_run(100, 4000, false, false).build(), build_run(200, 1000, false, false).build(), "--json "));
  const auto latency =
      std::find_if(faster.begin(), faster.end(), [](const auto& l) { return l["kind"] == "diff_latency"; });
  ASSERT_NE(latency, faster.end());
  EXPECT_EQ((*latency)["change_ns"], "-3000");
}

TEST(DiffView, AReportOfItsOwn) {
  const auto run = run_decoder(views_capture().build(), "--stats --diff /nonexistent");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("cannot be combined"), std::string::npos) << run.err;
  // What shapes events has nothing to shape in a report.
  for (const char* options : {"--top 3 --diff /nonexistent", "--top 3 --files", "--json --no-ctx --diff /nonexistent",
                              "--json --ctx inline --stats"}) {
    const auto shaped = run_decoder(views_capture().build(), options);
    EXPECT_EQ(shaped.status, 2) << options;
    EXPECT_EQ(shaped.err.find("etrace-decode: --"), 0u) << options << ": " << shaped.err;
  }
}

}  // namespace
