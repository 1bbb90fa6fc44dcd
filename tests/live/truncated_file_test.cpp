// A capture cut short (its writer died, the disk filled): etrace-decode
// reads what is there, says what happened, and succeeds.
#include <signal.h>

#include <sstream>
#include <thread>

#include "format/block_reader.h"
#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

// The events that ended normally, in order: what any prefix of the file must
// reproduce. Calls left unfinished depend on where the file stops.
std::vector<Json> settled(const std::vector<Json>& events) {
  return select(events, [](const Json& e) { return !e.value("unfinished", false); });
}

// Where the file's events frames start, read with the format's own reader:
// a cut placed by size alone can fall in the metadata when the events
// compress well or the host's process table is large.
std::vector<uint64_t> events_frame_offsets(const std::string& bytes) {
  std::istringstream in(bytes);
  format::BlockReader reader(in);
  std::vector<uint64_t> offsets;
  if (!reader.open()) return offsets;
  while (auto block = reader.next())
    if (block->type == format::BlockType::kEvents) offsets.push_back(block->offset);
  return offsets;
}

TEST_F(LiveTest, TruncatedCaptureDecodesAsAPrefix) {
  // ~3 s of calls: several event frames, flushed at least once a second.
  const std::string whole = file("whole.etrace");
  Outcome cap = capture({"-o", whole, "--", kWorkload, "ticks", "30"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  const auto all = decode_json(whole);
  const auto all_settled = settled(all);
  ASSERT_GT(all_settled.size(), 30 * static_cast<size_t>(kGetpids));
  const std::string bytes = read_file(whole);
  const auto frames = events_frame_offsets(bytes);
  ASSERT_GE(frames.size(), 2u) << "a capture of ~3 s is flushed in several events frames";
  // Inside the middle frame: the frames before it are whole, it and the rest are not.
  const size_t middle = frames[frames.size() / 2] + 20;

  struct Cut {
    const char* what;
    size_t size;
    bool all_events;  // the cut is past the last event frame
  };
  for (const Cut& cut : {Cut{"inside the middle events frame", middle, false}, Cut{"all but the last byte", bytes.size() - 1, true}}) {
    SCOPED_TRACE(cut.what);
    const std::string part = file("part.etrace");
    write_file(part, bytes.substr(0, cut.size));
    Outcome o = decode({part, "--json"});
    EXPECT_EQ(o.status, 0) << o.describe();
    EXPECT_NE(o.err.find("warning"), std::string::npos) << "a cut file is reported on stderr: " << o.describe();
    std::string error;
    auto events = parse_json_lines(o.out, error);
    EXPECT_EQ(error, "");
    auto got = settled(events);
    EXPECT_GT(got.size(), 0u) << "the frames before the cut are decoded";
    ASSERT_LE(got.size(), all_settled.size());
    if (cut.all_events) {
      EXPECT_EQ(got.size(), all_settled.size()) << "only the statistics trailer is cut";
    } else {
      EXPECT_LT(got.size(), all_settled.size());
    }
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_EQ(got[i], all_settled[i]) << "event " << i << " differs from the whole file's";
  }
}

// etrace-capture killed outright: the file ends after its last whole block,
// without the statistics trailer. Everything written decodes.
void capture_then_kill(const std::string& out, const std::string& dir, int64_t& pid) {
  std::string error;
  auto cap = Background::start({kCapture, "-q", "-o", out, "--", kWorkload, "ticks", "30"}, dir, error);
  ASSERT_TRUE(cap.has_value()) << error;
  ASSERT_EQ(std::sscanf(cap->first_line().c_str(), "ready %ld", &pid), 1) << cap->first_line();
  std::this_thread::sleep_for(1600ms);  // an event frame is flushed within a second
  EXPECT_EQ(cap->stop(SIGKILL).status, 128 + SIGKILL);
  kill(static_cast<pid_t>(pid), SIGKILL);  // the workload, orphaned by the kill
}

TEST_F(LiveTest, KilledCaptureDecodesWhatWasWritten) {
  const std::string out = file("killed.etrace");
  int64_t pid = 0;
  capture_then_kill(out, dir_.path(), pid);
  if (HasFatalFailure()) return;
  Outcome o = decode({out, "--json"});
  EXPECT_EQ(o.status, 0) << o.describe();
  std::string error;
  auto events = parse_json_lines(o.out, error);
  EXPECT_EQ(error, "");
  auto getpids = calls(events, "getpid");
  EXPECT_GE(static_cast<int64_t>(getpids.size()), kGetpids) << "at least the first round, flushed before the kill";
  for (const auto& e : events) EXPECT_EQ(int_of(e, "pid"), pid) << e.dump();
}

// Every output mode says that a killed capture is unfinished: without the
// warning a reader could not tell it from a complete capture.
TEST_F(LiveTest, KilledCaptureIsReportedAsUnfinished) {
  const std::string out = file("killed.etrace");
  int64_t pid = 0;
  capture_then_kill(out, dir_.path(), pid);
  if (HasFatalFailure()) return;
  const std::vector<std::vector<std::string>> modes = {
      {"--json"}, {"-T"}, {"--stats"}, {"--stats", "--json"}, {"--histogram", "getpid"},
      {"--perfetto", file("killed.json")}};
  for (const auto& mode : modes) {
    std::vector<std::string> args{out};
    args.insert(args.end(), mode.begin(), mode.end());
    Outcome o = decode(args);
    EXPECT_EQ(o.status, 0) << o.describe();
    EXPECT_NE(o.err.find("warning"), std::string::npos) << mode[0] << ": " << o.describe();
  }
}

}  // namespace
}  // namespace etrace::live
