// The fixture every live test uses, and small readers of decoded events.
// A live test runs etrace-capture as root on real programs, then reads the
// capture back with etrace-decode --json.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/live/live_support.h"

namespace etrace::live {

// The workload's numbers (tests/live/workload.c), from CMake.
constexpr int64_t kGetpids = ETRACE_WL_GETPIDS;
constexpr int64_t kParentOffset = ETRACE_WL_PARENT_OFFSET;
constexpr int64_t kChildOffset = ETRACE_WL_CHILD_OFFSET;
constexpr int64_t kLoopOffset = ETRACE_WL_LOOP_OFFSET;
constexpr int64_t kLoopThreadOffset = ETRACE_WL_LOOP_THREAD_OFFSET;
constexpr int64_t kMissingMode = ETRACE_WL_MISSING_MODE;
constexpr const char* kMissingPath = ETRACE_WL_MISSING_PATH;
constexpr int64_t kWriteBytes = ETRACE_WL_WRITE_BYTES;
constexpr int kChildExit = ETRACE_WL_CHILD_EXIT;
constexpr int kExit = ETRACE_WL_EXIT;
// The workload's comm after exec: its file name, cut to 15 bytes.
constexpr const char* kWorkloadComm = ETRACE_WL_COMM;

inline const std::string kCapture = ETRACE_CAPTURE_BIN;
inline const std::string kDecode = ETRACE_DECODE_BIN;
inline const std::string kWorkload = ETRACE_WORKLOAD_BIN;

// --- reading decoded events --------------------------------------------

// An integer member (ret, pid, duration_ns...), or nothing when absent/null.
std::optional<int64_t> int_of(const Json& j, const char* key);
// An integer argument by its tracepoint name ("fd", "offset"...); for a
// symbolic one ({"value": 0, "text": "O_RDONLY"}) its number.
std::optional<int64_t> arg_of(const Json& event, const char* name);
// A string argument ("filename"), or a symbolic one's text ("O_RDONLY").
std::string arg_text(const Json& event, const char* name);
std::string str_of(const Json& j, const char* key);
// True when the member is present and null ("ret": null).
bool is_null(const Json& j, const char* key);

bool is_call(const Json& e, const std::string& syscall = "");
bool is_process(const Json& e, const std::string& event = "");

// Syscall events named `syscall` (any when empty) of process `pid` (any when 0).
std::vector<Json> calls(const std::vector<Json>& events, const std::string& syscall, int64_t pid = 0);
// Events for which pred holds.
template <typename Pred>
std::vector<Json> select(const std::vector<Json>& events, Pred pred) {
  std::vector<Json> out;
  for (const auto& e : events)
    if (pred(e)) out.push_back(e);
  return out;
}
// Index of the first event for which pred holds, or -1.
template <typename Pred>
long index_of(const std::vector<Json>& events, Pred pred) {
  for (size_t i = 0; i < events.size(); ++i)
    if (pred(events[i])) return static_cast<long>(i);
  return -1;
}

// The pid in the workload's "ready PID" line (loop, ticks), or 0.
int64_t pid_of_ready_line(const Background& b);

// "a.b.c" of a sequence, for messages.
std::string summary(const std::vector<Json>& events, size_t max = 40);

// --- the fixture ----------------------------------------------------------

class LiveTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Runs etrace-capture with these arguments.
  Outcome capture(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 60s);
  // Runs etrace-decode with these arguments.
  Outcome decode(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 60s);
  // etrace-decode FILE --json, checked to exit 0, print JSON only and warn of
  // nothing; a failure is recorded in the test.
  std::vector<Json> decode_json(const std::string& file);
  // etrace-decode FILE --json FILTERS..., checked to exit 0 and print JSON
  // only (a filter may warn that it matched nothing).
  std::vector<Json> decode_json(const std::string& file, const std::vector<std::string>& filters);

  std::string file(const std::string& name) const { return dir_.file(name); }

  TempDir dir_{"etrace-live"};
};

}  // namespace etrace::live
