// The conformance suite: each program runs once under strace -f and once
// under etrace-capture, both with address randomisation off (setarch -R,
// inherited across exec, so addresses coincide); etrace-decode's text is
// then compared with strace's, thread by thread, after normalisation. The
// test holds each program's match rate to its floor in floors.txt and
// writes the report to the build tree. See README.md beside this file.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <iostream>

#include "tests/conformance/network_namespace.h"
#include "tests/conformance/normalise.h"
#include "tests/conformance/report.h"
#include "tests/conformance/trace_text.h"
#include "tests/live/live_support.h"

namespace etrace::conformance {
namespace {

namespace fs = std::filesystem;
using live::Outcome;

const std::string kCapture = ETRACE_CAPTURE_BIN;
const std::string kDecode = ETRACE_DECODE_BIN;
const std::string kPrograms = ETRACE_CONFORMANCE_PROGRAMS;
const std::string kReportDir = ETRACE_CONFORMANCE_REPORT_DIR;
const std::string kFloors = ETRACE_CONFORMANCE_FLOORS;
const std::string kStrace = "/usr/bin/strace";
const std::string kSetarch = "/usr/bin/setarch";

struct Program {
  std::string name;
  // The command line, given the scratch directory (the same path in both runs).
  std::function<std::vector<std::string>(const std::string& scratch)> argv;
  // Fills the (empty) scratch directory before each run.
  std::function<void(const std::string& scratch)> prepare = [](const std::string&) {};
  // Runs in the suite's network namespace (network_namespace.h), traced and
  // decoded there (strace names interfaces as its namespace knows them).
  // Its netlink messages, which strace reads whole, are copied whole too:
  // --bytes at its maximum.
  bool network = false;
};

void known_files(const std::string& scratch) {
  live::write_file(scratch + "/alpha.txt", "alpha\n");
  live::write_file(scratch + "/beta.txt", "beta beta\n");
  fs::create_directory(scratch + "/gamma");
  fs::create_symlink("alpha.txt", scratch + "/delta");
}

// Directories of files, and one directory with more entries than a
// getdents64 copy of the default --bytes holds.
void file_tree(const std::string& scratch) {
  for (const char* dir : {"a", "a/b", "c"}) {
    fs::create_directory(scratch + "/" + dir);
    for (int i = 0; i < 3; ++i) live::write_file(scratch + "/" + dir + "/f" + std::to_string(i), std::string(100, 'x'));
  }
  fs::create_directory(scratch + "/many");
  for (int i = 0; i < 40; ++i) live::write_file(scratch + "/many/entry-" + std::to_string(i), "");
}

std::vector<Program> programs() {
  std::vector<Program> list;
  for (const char* family :
       {"files", "descriptors", "memory", "processes", "sockets", "time", "polling", "signals", "prctl", "futex",
        "keyctl", "bpf", "ptrace", "quotactl"}) {
    const std::string binary = kPrograms + "/conformance_" + family;
    list.push_back({family, [binary](const std::string& scratch) { return std::vector<std::string>{binary, scratch}; }});
  }
  list.push_back({"ls", [](const std::string& s) { return std::vector<std::string>{"/usr/bin/ls", "-l", s}; },
                  known_files});
  list.push_back({"cat", [](const std::string& s) { return std::vector<std::string>{"/usr/bin/cat", s + "/alpha.txt"}; },
                  known_files});
  list.push_back({"python3", [](const std::string&) {
                    return std::vector<std::string>{"/usr/bin/python3", "-c", "import json"};
                  }});
  list.push_back({"sh_pipeline", [](const std::string&) {
                    return std::vector<std::string>{"/bin/sh", "-c", "echo hi | wc -c"};
                  }});
  const auto nothing = [](const std::string&) {};
  for (const char* family : {"netlink", "sockopts"}) {
    const std::string binary = kPrograms + "/conformance_" + family;
    list.push_back({family, [binary](const std::string&) { return std::vector<std::string>{binary}; }, nothing, true});
  }
  // ioctl's interfaces are the namespace's; its files are the scratch directory's.
  list.push_back({"ioctl",
                  [](const std::string& s) {
                    return std::vector<std::string>{kPrograms + "/conformance_ioctl", s};
                  },
                  nothing, true});
  const auto command = [](std::vector<std::string> argv) {
    return [argv](const std::string&) { return argv; };
  };
  list.push_back({"ip_addr", command({"/usr/sbin/ip", "addr"}), nothing, true});
  list.push_back({"ip_route", command({"/usr/sbin/ip", "route"}), nothing, true});
  list.push_back({"ip_link", command({"/usr/sbin/ip", "link"}), nothing, true});
  list.push_back({"ss_tan", command({"/usr/bin/ss", "-tan"}), nothing, true});
  list.push_back({"ss_uan", command({"/usr/bin/ss", "-uan"}), nothing, true});
  list.push_back({"hostname_I", command({"/usr/bin/hostname", "-I"}), nothing, true});
  list.push_back({"curl", command({"/usr/bin/curl", "-s", "-o", "/dev/null", NetworkNamespace::kUrl}), nothing, true});
  list.push_back({"git_status",
                  [](const std::string& s) { return std::vector<std::string>{"/usr/bin/git", "-C", s, "status"}; },
                  [](const std::string& s) {
                    live::run({"/usr/bin/git", "init", "-q", s}, s);
                    live::write_file(s + "/tracked.txt", "tracked\n");
                  }});
  // A shell's traps and background jobs: SIGCHLD, a signal to itself, the
  // status of a job. The jobs sleep, so that the shell waits for each in
  // sigsuspend in both runs rather than finding it already gone.
  list.push_back({"sh_traps", [](const std::string&) {
                    return std::vector<std::string>{
                        "/bin/sh", "-c",
                        "trap 'echo usr1' USR1; trap 'echo bye' EXIT; sleep 0.05 & wait; kill -USR1 $$; "
                        "(sleep 0.05; exit 3) & wait $!; echo $?"};
                  }});
  // Process and file-system listers: /proc, mount tables, statfs, getdents64.
  list.push_back({"df", [](const std::string&) { return std::vector<std::string>{"/usr/bin/df", "-h"}; }});
  list.push_back({"du", [](const std::string& s) { return std::vector<std::string>{"/usr/bin/du", "-s", s}; },
                  file_tree});
  // In a PID namespace of its own, where it lists only itself: the
  // machine's other processes come and go between the two runs.
  list.push_back({"ps", [](const std::string&) {
                    return std::vector<std::string>{"/usr/bin/unshare", "--pid", "--fork", "--mount-proc",
                                                    "/usr/bin/ps", "aux"};
                  }});
  list.push_back({"sort", [](const std::string& s) { return std::vector<std::string>{"/usr/bin/sort", s + "/words.txt"}; },
                  [](const std::string& s) { live::write_file(s + "/words.txt", "pear\napple\nfig\nbanana\napple\n"); }});
  return list;
}

std::string program_name(const ::testing::TestParamInfo<Program>& info) { return info.param.name; }
// For gtest's messages: the name, not the bytes.
void PrintTo(const Program& p, std::ostream* os) { *os << p.name; }

// Collects every program's result and writes the report once all ran.
class Report : public ::testing::Environment {
 public:
  static Report* instance;
  std::vector<ProgramResult> results;
  std::map<std::string, int> floors;
  std::string floors_error;

 private:
  std::optional<live::TempDir> network_work_;
  std::optional<NetworkNamespace> network_;
  std::string network_error_;

 public:
  void SetUp() override { floors = parse_floors(live::read_file(kFloors), floors_error); }

  // The network programs' namespace, made when the first needs it.
  const NetworkNamespace* network(std::string& error) {
    if (!network_ && network_error_.empty()) {
      network_work_.emplace();
      if (auto made = NetworkNamespace::create(network_work_->path(), network_error_))
        network_.emplace(std::move(*made));
    }
    error = network_error_;
    return network_ ? &*network_ : nullptr;
  }

  void TearDown() override {
    network_.reset();
    network_work_.reset();
    if (results.empty()) return;
    const std::string text = format_report(results, floors);
    std::cout << "\n" << text;
    fs::create_directories(kReportDir);
    live::write_file(kReportDir + "/report.txt", text);
    std::cout << "\n(report written to " << kReportDir << "/report.txt)\n";
  }
};
Report* Report::instance = nullptr;

// The normalised lines, thread by thread, for reading beside the report.
void write_normalised(const std::string& path, const NormalisedTrace& trace) {
  std::string text;
  for (size_t k = 0; k < trace.threads.size(); ++k)
    for (const auto& line : trace.threads[k]) text += "P" + std::to_string(k + 1) + " " + line + "\n";
  live::write_file(path, text);
}

// The thread etrace-decode prints without a prefix: its first event's.
long first_tid(const std::string& json_lines) {
  std::string error;
  auto events = live::parse_json_lines(json_lines.substr(0, json_lines.find('\n')), error);
  if (events.empty() || !events[0].contains("tid")) return -1;
  return events[0]["tid"].get<long>();
}

class Conformance : public ::testing::TestWithParam<Program> {
 protected:
  void SetUp() override {
    std::optional<std::string> why = live::tracing_unavailable();
    if (!why && !fs::exists(kStrace)) why = kStrace + " is not installed";
    if (!why && !fs::exists(kSetarch)) why = kSetarch + " is not installed";
    if (!why) return;
    if (live::tracing_required()) FAIL() << "ETRACE_REQUIRE_BPF=1, but " << *why;
    std::cerr << "*** etrace conformance test SKIPPED: " << *why << " ***\n";
    GTEST_SKIP() << "the conformance suite needs BPF and strace: " << *why;
  }
  void TearDown() override {
    if (!HasFailure()) return;
    work_.keep();
    std::cerr << "the failed program's files are kept in " << work_.path() << "\n";
  }

  // Empties the scratch directory and lets the program prepare it.
  void fresh_scratch(const Program& p) {
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
    p.prepare(scratch_);
  }

  Outcome traced(const std::vector<std::string>& tracer, const std::vector<std::string>& command) {
    std::vector<std::string> argv{kSetarch, "-R"};
    argv.insert(argv.end(), tracer.begin(), tracer.end());
    argv.insert(argv.end(), command.begin(), command.end());
    return live::run(where(argv), work_.path(), std::chrono::seconds(30));
  }

  // `argv` as it runs for this program: in the network namespace or not.
  std::vector<std::string> where(const std::vector<std::string>& argv) const {
    return network_ ? network_->inside(argv) : argv;
  }

  const NetworkNamespace* network_ = nullptr;

  live::TempDir work_;
  const std::string scratch_ = work_.file("scratch");
};

TEST_P(Conformance, MatchesStrace) {
  const Program& p = GetParam();
  const auto command = p.argv(scratch_);
  if (!fs::exists(command[0])) GTEST_SKIP() << command[0] << " is not installed";
  if (p.network) {
    std::string why;
    network_ = Report::instance->network(why);
    ASSERT_NE(network_, nullptr) << "the network namespace: " << why;
  }

  // An untraced run first, so that caches a program fills on its first run
  // (compiled bytecode, git's index) are filled before either trace.
  fresh_scratch(p);
  Outcome warm = live::run(where(command), work_.path());
  ASSERT_EQ(warm.status, 0) << p.name << " fails untraced: " << warm.describe();

  fresh_scratch(p);
  const std::string strace_out = work_.file("strace.txt");
  Outcome s = traced({kStrace, "-f", "-qq", "-o", strace_out, "--"}, command);
  ASSERT_EQ(s.status, 0) << "strace: " << s.describe();

  fresh_scratch(p);
  const std::string capture = work_.file("capture.raw"), etrace_out = work_.file("etrace.txt");
  std::vector<std::string> capture_argv{kCapture, "-q", "-o", capture};
  if (p.network) capture_argv.insert(capture_argv.end(), {"--bytes", "8191"});
  capture_argv.push_back("--");
  Outcome e = traced(capture_argv, command);
  ASSERT_EQ(e.status, 0) << "etrace-capture: " << e.describe();
  Outcome d = live::run(where({kDecode, capture, "-o", etrace_out}), work_.path());
  ASSERT_EQ(d.status, 0) << "etrace-decode: " << d.describe();
  // Without context lines: the first line is then the first event.
  Outcome json = live::run({kDecode, capture, "--json", "--no-ctx"}, work_.path());
  ASSERT_EQ(json.status, 0) << "etrace-decode --json: " << json.describe();
  const long initial = first_tid(json.out);
  ASSERT_GT(initial, 0) << "the capture has no events";

  const PortRange ports = ephemeral_ports();
  ThreadLines strace_lines = split_by_thread(live::read_file(strace_out), -1);
  ASSERT_EQ(strace_lines.threads.count(-1), 0u) << "strace -f -o writes a pid on every line";
  NormalisedTrace strace_trace = normalise(strace_lines, ports);
  NormalisedTrace etrace_trace = normalise(split_by_thread(live::read_file(etrace_out), initial), ports);
  fs::create_directories(kReportDir);
  write_normalised(kReportDir + "/" + p.name + ".strace.txt", strace_trace);
  write_normalised(kReportDir + "/" + p.name + ".etrace.txt", etrace_trace);

  const ProgramResult result{p.name, compare_traces(strace_trace, etrace_trace)};
  Report::instance->results.push_back(result);

  ASSERT_EQ(Report::instance->floors_error, "");
  auto floor = Report::instance->floors.find(p.name);
  ASSERT_NE(floor, Report::instance->floors.end())
      << kFloors << " has no floor for " << p.name << "; today's rate suggests \"" << p.name << " "
      << suggested_floor(result.comparison) << "\"";
  EXPECT_GE(match_percent(result.comparison), floor->second)
      << p.name << ": " << result.comparison.matched << " of " << result.comparison.strace_lines
      << " strace lines matched; the floor is " << floor->second << "% (see the report)";
}

INSTANTIATE_TEST_SUITE_P(Programs, Conformance, ::testing::ValuesIn(programs()), program_name);

}  // namespace
}  // namespace etrace::conformance

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  etrace::conformance::Report::instance = new etrace::conformance::Report;
  ::testing::AddGlobalTestEnvironment(etrace::conformance::Report::instance);
  return RUN_ALL_TESTS();
}
