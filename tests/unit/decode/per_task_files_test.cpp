// -ff's fan-out: which file each event goes to, a loss to the threads it
// may have hidden calls of, files written in pieces (parked between
// writes) the same as at once, and a failed write putting no file in place.
#include "decode/render/per_task_files.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "tests/support/scratch_files.h"
#include "tests/unit/error_of.h"

namespace etrace::decode {
namespace {

using etrace::test::error_of;
using etrace::test::names_in;
using etrace::test::read_file;

// One line per event, naming what the renderer was given.
class EventLines : public Output {
 public:
  explicit EventLines(std::ostream& out) : out_(out) {}
  void call(const DecodedCall& call) override { out_ << "call " << call.syscall << " of " << call.tid << "\n"; }
  void process(const DecodedProcessEvent& event) override { out_ << "process of " << event.tid << "\n"; }
  void signal(const DecodedSignal& signal) override { out_ << signal.name << " to " << signal.tid << "\n"; }
  void loss(const DecodedLoss& loss) override { out_ << "lost " << loss.count << "\n"; }
  void finish() override { out_ << "end\n"; }

 private:
  std::ostream& out_;
};

DecodedCall call_of(uint32_t tid, const std::string& syscall) {
  DecodedCall call;
  call.tid = tid;
  call.syscall = syscall;
  return call;
}

DecodedProcessEvent exit_of(uint32_t tid, int64_t wall_ns) {
  DecodedProcessEvent event;
  event.kind = ProcessEventKind::kThreadExit;
  event.tid = tid;
  event.wall_ns = wall_ns;
  return event;
}

DecodedLoss loss_between(int64_t first_ns, int64_t last_ns) {
  DecodedLoss loss;
  loss.count = 5;
  loss.first_wall_ns = first_ns;
  loss.last_wall_ns = last_ns;
  loss.wall_ns = last_ns + 1;
  return loss;
}

// Thread 10 runs throughout; 20 ends before the records are lost, 30 while
// they are; 40 first shows after; 20's tid is then reused.
void feed(PerTaskFiles& files) {
  files.call(call_of(10, "read"));
  files.call(call_of(20, "getpid"));
  files.process(exit_of(20, 100));
  files.call(call_of(30, "write"));
  files.process(exit_of(30, 250));
  files.loss(loss_between(200, 300));
  files.call(call_of(40, "close"));
  DecodedSignal signal;
  signal.tid = 10;
  signal.name = "SIGCHLD";
  files.signal(signal);
  files.call(call_of(20, "brk"));
  files.finish();
}

PerTaskFiles::RendererFor event_lines() {
  return [](std::ostream& out) { return std::make_unique<EventLines>(out); };
}

TEST(PerTaskFiles, EachEventGoesToItsThreadsFileAndALossToTheThreadsItMayHaveHidden) {
  etrace::test::TempDir dir("etrace-ff");
  PerTaskFiles files(dir.file("out"), event_lines());
  feed(files);
  ASSERT_EQ(error_of(files.close()), "");
  EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"out.10", "out.20", "out.30", "out.40"}));
  EXPECT_EQ(read_file(dir.file("out.10")), "call read of 10\nlost 5\nSIGCHLD to 10\nend\n");
  EXPECT_EQ(read_file(dir.file("out.20")), "call getpid of 20\nprocess of 20\ncall brk of 20\nend\n");
  EXPECT_EQ(read_file(dir.file("out.30")), "call write of 30\nprocess of 30\nlost 5\nend\n");
  EXPECT_EQ(read_file(dir.file("out.40")), "call close of 40\nend\n");
  for (const auto& name : names_in(dir.path())) {
    struct stat st {};
    ASSERT_EQ(lstat(dir.file(name).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u) << name;
  }
}

TEST(PerTaskFiles, FilesWrittenAfterEveryEventHoldTheSame) {
  etrace::test::TempDir at_once("etrace-ff"), piecemeal("etrace-ff");
  PerTaskFiles whole(at_once.file("out"), event_lines());
  PerTaskFiles pieces(piecemeal.file("out"), event_lines(), 1);
  feed(whole);
  feed(pieces);
  ASSERT_EQ(error_of(whole.close()), "");
  ASSERT_EQ(error_of(pieces.close()), "");
  ASSERT_EQ(names_in(piecemeal.path()), names_in(at_once.path()));
  for (const auto& name : names_in(at_once.path()))
    EXPECT_EQ(read_file(piecemeal.file(name)), read_file(at_once.file(name))) << name;
}

TEST(PerTaskFiles, FailedWriteIsTheErrorAndPutsNoFileInPlace) {
  etrace::test::TempDir dir("etrace-ff");
  ASSERT_EQ(mkdir(dir.file("out.20").c_str(), 0700), 0);  // thread 20's name is taken by a directory
  PerTaskFiles files(dir.file("out"), event_lines());
  feed(files);
  const std::string error = error_of(files.close());
  EXPECT_NE(error.find("out.20"), std::string::npos) << error;
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"out.20"}) << "no file, temporary or not";
}

}  // namespace
}  // namespace etrace::decode
