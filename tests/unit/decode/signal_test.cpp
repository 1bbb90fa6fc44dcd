// Signals (record 12, format 1.3): the siginfo shown per code as strace
// shows it, where each signal falls in its thread's lines, and the signal
// in JSON Lines, --stats and the timeline. The siginfo lines expected are
// what strace 6.1 printed for the same signals (tests/conformance/programs/
// signals.c and a probe sending every kind).
#include <gtest/gtest.h>

#include <cstring>

#include <nlohmann/json.hpp>

#include "decode/render/value_text.h"
#include "decode/values/siginfo_view.h"
#include "decode_helpers.h"

namespace etrace::test {
namespace {

using decode::siginfo_value;
using decode::value_text;
using nlohmann::json;

// An x86-64 siginfo_t's first 48 bytes, member by member.
class Siginfo {
 public:
  Siginfo(int32_t signo, int32_t code) {
    put(0, signo);
    put(8, code);
  }
  Siginfo& put(size_t at, int32_t v) { return copy(at, &v, sizeof(v)); }
  Siginfo& put64(size_t at, uint64_t v) { return copy(at, &v, sizeof(v)); }
  // Who sent it (si_pid, si_uid).
  Siginfo& from(int32_t pid, int32_t uid = 0) { return put(16, pid).put(20, uid); }
  operator std::string() const { return bytes_; }

 private:
  Siginfo& copy(size_t at, const void* v, size_t n) {
    std::memcpy(bytes_.data() + at, v, n);
    return *this;
  }
  std::string bytes_ = std::string(48, '\0');
};

std::string shown(const std::string& bytes) { return value_text(siginfo_value(bytes)); }

constexpr int kSiQueue = -1, kSiTimer = -2, kSiTkill = -6, kSiKernel = 0x80;
constexpr int kSigUsr1 = 10, kSigUsr2 = 12, kSigSegv = 11, kSigAlrm = 14, kSigTerm = 15, kSigChld = 17,
              kSigStop = 19, kSigIo = 29;

TEST(Siginfo, WhatAProcessSentShowsItsSender) {
  EXPECT_EQ(shown(Siginfo(kSigUsr1, 0).from(2433)), "{si_signo=SIGUSR1, si_code=SI_USER, si_pid=2433, si_uid=0}");
  EXPECT_EQ(shown(Siginfo(kSigUsr2, kSiTkill).from(2433)),
            "{si_signo=SIGUSR2, si_code=SI_TKILL, si_pid=2433, si_uid=0}");
  EXPECT_EQ(shown(Siginfo(kSigUsr2, kSiQueue).from(9873).put64(24, 42)),
            "{si_signo=SIGUSR2, si_code=SI_QUEUE, si_pid=9873, si_uid=0, si_int=42, si_ptr=0x2a}");
  EXPECT_EQ(shown(Siginfo(35, kSiQueue).from(9873).put64(24, 0x5eed)),
            "{si_signo=SIGRT_3, si_code=SI_QUEUE, si_pid=9873, si_uid=0, si_int=24301, si_ptr=0x5eed}");
  // A timer: its id and overrun, then its value.
  EXPECT_EQ(shown(Siginfo(37, kSiTimer).put64(24, 7)),
            "{si_signo=SIGRT_5, si_code=SI_TIMER, si_timerid=0, si_overrun=0, si_int=7, si_ptr=0x7}");
}

TEST(Siginfo, WhatTheKernelSentShowsWhatItsCodeFillsIn) {
  EXPECT_EQ(shown(Siginfo(kSigAlrm, kSiKernel)), "{si_signo=SIGALRM, si_code=SI_KERNEL}");
  EXPECT_EQ(shown(Siginfo(kSigSegv, 1).put64(16, 0x10)), "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10}");
  EXPECT_EQ(shown(Siginfo(kSigIo, 1).put64(16, 65).put(24, 3)),
            "{si_signo=SIGIO, si_code=POLL_IN, si_band=65, si_fd=3}");
  // A child's status: its exit code, or the signal that stopped or killed it.
  EXPECT_EQ(shown(Siginfo(kSigChld, 1).from(2457).put(24, 3)),
            "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2457, si_uid=0, si_status=3, si_utime=0, si_stime=0}");
  EXPECT_EQ(shown(Siginfo(kSigChld, 2).from(9877).put(24, kSigUsr1)),
            "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=9877, si_uid=0, si_status=SIGUSR1, si_utime=0, "
            "si_stime=0}");
  EXPECT_EQ(shown(Siginfo(kSigChld, 5).from(2460).put(24, kSigStop)),
            "{si_signo=SIGCHLD, si_code=CLD_STOPPED, si_pid=2460, si_uid=0, si_status=SIGSTOP, si_utime=0, "
            "si_stime=0}");
}

TEST(Siginfo, ACopyTooShortForItsMembersSaysSo) {
  EXPECT_EQ(shown(std::string(Siginfo(kSigChld, 1).from(2457)).substr(0, 24)),
            "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2457, si_uid=0, ...}");
}

// --- where signals fall --------------------------------------------------

CaptureBuilder with_kill() {
  auto b = standard_capture();
  b.task(500, 100, 100, 1, "sig");
  return b;
}

// Thread 100 blocked in read(0, buf, 10) from 1000 on.
CaptureBuilder reading() {
  auto b = with_kill();
  b.enter(1000, 100, 100, kRead, {0, kBuf, 10, 0, 0, 0});
  return b;
}

constexpr uint64_t kHandler = 0x401615;
constexpr uint64_t kSaRestorer = 0x04000000;

// SIGUSR1 from process 100, run by a handler in thread `tid`.
void usr1_handled(CaptureBuilder& b, uint64_t ts, uint32_t tid) {
  b.signal(ts, tid, tid, kSigUsr1, ETRACE_SIGNAL_DELIVERED, kHandler, kSaRestorer, 0, Siginfo(kSigUsr1, 0).from(100));
}
constexpr const char* kUsr1Line = "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=100, si_uid=0} ---\n";

// Child 101's exit, whose SIGCHLD thread 100 ignores.
void child_exited(CaptureBuilder& b, uint64_t ts) {
  b.signal(ts, 100, 100, kSigChld, ETRACE_SIGNAL_IGNORED, 0, 0, 101, Siginfo(kSigChld, 1).from(101));
}
constexpr const char* kChildLine =
    "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=0, "
    "si_stime=0} ---\n";

TEST(SignalText, DeliveredAfterTheCallThatLetItIn) {
  auto b = with_kill();
  b.enter(1000, 100, 100, kKill, {100, kSigUsr1, 0, 0, 0, 0});
  b.exit(1100, 100, 100, kKill, 0);
  usr1_handled(b, 1200, 100);
  EXPECT_EQ(decode_text(b), std::string("kill(100, SIGUSR1) = 0\n") + kUsr1Line);
}

TEST(SignalText, OneSentWhileTheThreadIsInACallFollowsTheCall) {
  auto b = reading();
  child_exited(b, 1500);
  b.exit(2000, 100, 100, kRead, 1);
  EXPECT_EQ(decode_text(b), std::string("read(0, 0x7ffd00001000, 10) = 1\n") + kChildLine);
}

TEST(SignalText, AFatalOneEndsTheProcessWhenItsCallReturns) {
  auto b = reading();
  b.signal(1500, 100, 100, kSigTerm, ETRACE_SIGNAL_FATAL, 0, 0, 200, Siginfo(kSigTerm, 0).from(200));
  b.exit(1600, 100, 100, kRead, -512);
  b.task_exit(1700, 100, 100, kSigTerm, true);
  EXPECT_EQ(decode_text(b),
            "read(0, 0x7ffd00001000, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n"
            "--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=200, si_uid=0} ---\n"
            "+++ killed by SIGTERM +++\n");
}

TEST(SignalText, AnotherThreadsSignalSplitsACallAsStraceDoes) {
  auto b = reading();
  usr1_handled(b, 1500, 101);
  b.exit(2000, 100, 100, kRead, 1);
  EXPECT_EQ(decode_text(b), std::string("[pid 100] read(0,  <unfinished ...>\n[pid 101] ") + kUsr1Line +
                                "[pid 100] <... read resumed>0x7ffd00001000, 10) = 1\n");
}

TEST(SignalText, OneSentInsideACallStillUnderWayAtTheEndFollowsIt) {
  auto b = reading();
  child_exited(b, 1500);
  EXPECT_EQ(decode_text(b), std::string("read(0,  <unfinished ...>\n") + kChildLine);
}

TEST(SignalText, AKindFromANewerWriterIsSkipped) {
  auto b = with_kill();
  b.signal(1200, 100, 100, kSigUsr1, 99, 0, 0, 0, Siginfo(kSigUsr1, 0).from(100));
  b.enter(1300, 100, 100, kKill, {100, 0, 0, 0, 0, 0});
  b.exit(1400, 100, 100, kKill, 0);
  EXPECT_EQ(decode_text(b), "kill(100, 0) = 0\n");
}

// --- JSON Lines, --stats, timeline ---------------------------------------

CaptureBuilder three_signals() {
  auto b = with_kill();
  usr1_handled(b, 1200, 100);
  child_exited(b, 1300);
  b.signal(1400, 100, 100, kSigChld, ETRACE_SIGNAL_DELIVERED, 0, 0, 0, Siginfo(kSigChld, 1).from(102));
  return b;
}

TEST(SignalJson, OneLinePerSignalWithItsActionAndSiginfo) {
  std::vector<json> lines;
  std::istringstream in(decode_json(three_signals()));
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 3u);
  const json& usr1 = lines[0];
  EXPECT_EQ(usr1["kind"], "signal");
  EXPECT_EQ(usr1["pid"], 100);
  EXPECT_EQ(usr1["tid"], 100);
  EXPECT_EQ(usr1["comm"], "sig");
  EXPECT_EQ(usr1["signal"], "SIGUSR1");
  EXPECT_EQ(usr1["signo"], kSigUsr1);
  EXPECT_EQ(usr1["action"], "delivered");
  EXPECT_EQ(usr1["handler"], (json{{"value", std::to_string(0x401615)}, {"text", "0x401615"}}));
  // sa_flags is an unsigned long: 64 bits, so decimal digits (decode/JSON.md, Numbers).
  EXPECT_EQ(usr1["sa_flags"], (json{{"value", std::to_string(kSaRestorer)}, {"text", "SA_RESTORER"}}));
  EXPECT_FALSE(usr1.contains("sender_pid"));
  EXPECT_EQ(usr1["siginfo"], (json{{"si_signo", {{"value", kSigUsr1}, {"text", "SIGUSR1"}}},
                                   {"si_code", {{"value", 0}, {"text", "SI_USER"}}},
                                   {"si_pid", 100},
                                   {"si_uid", 0}}));
  const json& ignored = lines[1];
  EXPECT_EQ(ignored["action"], "ignored");
  EXPECT_EQ(ignored["sender_pid"], 101);
  EXPECT_FALSE(ignored.contains("handler"));
  EXPECT_EQ(lines[2]["handler"], (json{{"value", "0"}, {"text", "SIG_DFL"}}));
}

TEST(SignalStats, PerSignalWhatBecameOfItAndPerProcessHowMany) {
  const std::string text = decode(three_signals().build(), Mode::kStats);
  EXPECT_NE(text.find("\n     pid comm                 calls    errors     seconds   signals\n"
                      "     100 sig                      0         0    0.000000         3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nsignal               count   handled   default   ignored\n"
                      "SIGCHLD                  2         0         1         1\n"
                      "SIGUSR1                  1         1         0         0\n"),
            std::string::npos)
      << text;
  decode::StatsOptions as_json;
  as_json.json = true;
  const json stats = json::parse(decode(three_signals().build(), Mode::kStats, {}, {}, nullptr, as_json));
  EXPECT_EQ(stats["signals"], json::parse(R"([{"signal": "SIGCHLD", "count": 2, "handled": 0, "default": 1, "ignored": 1},
                                              {"signal": "SIGUSR1", "count": 1, "handled": 1, "default": 0, "ignored": 0}])"));
  EXPECT_EQ(stats["processes"][0]["signals"], 3);
}

TEST(SignalStats, ACaptureWithoutSignalsKeepsItsTable) {
  auto b = with_kill();
  b.enter(1000, 100, 100, kKill, {100, 0, 0, 0, 0, 0});
  b.exit(1100, 100, 100, kKill, 0);
  const std::string text = decode(b.build(), Mode::kStats);
  EXPECT_NE(text.find("\n     pid comm                 calls    errors     seconds\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("signal "), std::string::npos) << text;
}

TEST(SignalTimeline, AnInstantOnTheReceivingThread) {
  auto b = three_signals();
  b.capture.start_ns = 1000;
  const json trace = json::parse(decode(b.build(), Mode::kPerfetto));
  std::vector<json> usr1;
  for (const auto& e : trace["traceEvents"])
    if (e["ph"] == "i" && e["name"] == "SIGUSR1") usr1.push_back(e);
  ASSERT_EQ(usr1.size(), 1u) << trace.dump();
  EXPECT_EQ(usr1[0]["s"], "t");
  EXPECT_EQ(usr1[0]["tid"], 100);
  EXPECT_DOUBLE_EQ(usr1[0]["ts"].get<double>(), 0.2);
  EXPECT_EQ(usr1[0]["args"]["text"].get<std::string>() + "\n", kUsr1Line);
  EXPECT_EQ(usr1[0]["args"]["action"], "delivered");
}

}  // namespace
}  // namespace etrace::test
