// etrace-decode -ff -o PREFIX, as strace's: a real multi-process command's
// capture, each thread's events in PREFIX.TID, checked against decoding
// the whole capture at once; and a capture of more processes than a
// process may have files open.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

// Two children of a shell, running together.
const std::vector<std::string> kCommand = {"/bin/sh", "-c", "ls / >/dev/null & cat /etc/hostname >/dev/null; wait"};

// "[pid 123<sh>] rest" -> 123.
uint32_t tid_of_named_line(const std::string& line) {
  EXPECT_EQ(line.rfind("[pid ", 0), 0u) << line;
  return static_cast<uint32_t>(std::stoul(line.substr(5)));
}

// "[pid 123] rest" -> "rest"; a line of the capture's only thread so far
// has no prefix.
std::string without_pid(const std::string& line) {
  if (line.rfind("[pid ", 0) != 0) return line;
  return line.substr(line.find("] ") + 2);
}

// A thread's line of the whole decode: a call the lines of other threads
// cut in two ("wait4(-1,  <unfinished ...>", then "<... wait4 resumed>[...],
// 0, NULL) = 9") is made one again, as a file of the thread's own shows it.
struct WholeLine {
  std::string text;
  bool rejoined = false;
};

std::vector<WholeLine> rejoined(const std::vector<std::string>& lines) {
  static const std::string kUnfinished = " <unfinished ...>";
  std::vector<WholeLine> out;
  for (const auto& line : lines) {
    const auto resumed = line.find(" resumed>");
    if (!out.empty() && ends_with(out.back().text, kUnfinished) && line.rfind("<... ", 0) == 0 &&
        resumed != std::string::npos) {
      out.back().text.resize(out.back().text.size() - kUnfinished.size());
      out.back().text += line.substr(resumed + 9);
      out.back().rejoined = true;
    } else {
      out.push_back({line});
    }
  }
  return out;
}

// A rejoined call's first half shows its arguments as they were when it
// began, before the paths it names were copied ("statfs(0x7f2ba0d568a3
// <unfinished ...>"): it need only agree on the call and its result.
bool same_line(const WholeLine& whole, const std::string& line) {
  if (whole.text == line) return true;
  auto call = [](const std::string& s) { return s.substr(0, s.find('(')); };
  auto result = [](const std::string& s) {
    const auto at = s.rfind(") = ");
    return at == std::string::npos ? std::string() : s.substr(at);
  };
  return whole.rejoined && call(whole.text) == call(line) && result(whole.text) == result(line);
}

// The files in `dir` named PREFIX.TID, by tid.
std::map<uint32_t, std::string> files_by_tid(const std::string& dir, const std::string& prefix) {
  std::map<uint32_t, std::string> files;
  for (const auto& name : names_in(dir))
    if (name.rfind(prefix + ".", 0) == 0)
      files[static_cast<uint32_t>(std::stoul(name.substr(prefix.size() + 1)))] = dir + "/" + name;
  return files;
}

class PerTaskFilesTest : public LiveTest {
 protected:
  // The command's capture, in `capture_`.
  void SetUp() override {
    LiveTest::SetUp();
    if (IsSkipped()) return;
    std::vector<std::string> args{"-q", "-o", capture_, "--"};
    args.insert(args.end(), kCommand.begin(), kCommand.end());
    Outcome cap = capture(args);
    ASSERT_EQ(cap.status, 0) << cap.describe();
  }

  const std::string capture_ = file("sh.etrace");
  const TempDir out_{"etrace-ff"};
};

TEST_F(PerTaskFilesTest, EachThreadsTextIsItsLinesOfTheWholeDecodeWithoutPid) {
  Outcome whole = decode({capture_});
  Outcome named = decode({capture_, "-Y"});  // the same lines, each naming its thread
  Outcome ff = decode({capture_, "-ff", "-o", out_.file("out")});
  ASSERT_EQ(whole.status, 0) << whole.describe();
  ASSERT_EQ(named.status, 0) << named.describe();
  ASSERT_EQ(ff.status, 0) << ff.describe();
  EXPECT_EQ(ff.out, "") << "everything went to the files";
  EXPECT_EQ(ff.err, whole.err);
  const auto lines = lines_of(whole.out);
  const auto named_lines = lines_of(named.out);
  ASSERT_EQ(lines.size(), named_lines.size());
  ASSERT_EQ(whole.out.find("--- lost "), std::string::npos) << "a capture without losses, for exact lines";

  std::map<uint32_t, std::vector<std::string>> expected;
  for (size_t i = 0; i < lines.size(); ++i) expected[tid_of_named_line(named_lines[i])].push_back(without_pid(lines[i]));
  ASSERT_GE(expected.size(), 3u) << "the shell and its two children: " << named.out;

  const auto files = files_by_tid(out_.path(), "out");
  std::set<uint32_t> tids, file_tids;
  for (const auto& [tid, _] : expected) tids.insert(tid);
  for (const auto& [tid, _] : files) file_tids.insert(tid);
  EXPECT_EQ(file_tids, tids) << "a file per thread of the whole decode";
  EXPECT_EQ(names_in(out_.path()).size(), files.size()) << "nothing else written";
  for (const auto& [tid, path] : files) {
    SCOPED_TRACE(path);
    const std::string text = read_file(path);
    const auto file_lines = lines_of(text);
    const auto whole_lines = rejoined(expected[tid]);
    ASSERT_EQ(file_lines.size(), whole_lines.size());
    for (size_t i = 0; i < file_lines.size(); ++i)
      EXPECT_TRUE(same_line(whole_lines[i], file_lines[i])) << whole_lines[i].text << "\n" << file_lines[i];
    for (const auto& line : file_lines) EXPECT_NE(line.rfind("[pid ", 0), 0u) << line;
    // Exactly what decoding the thread alone shows.
    Outcome alone = decode({capture_, "--tid", std::to_string(tid)});
    EXPECT_EQ(text, alone.out);
    struct stat st {};
    ASSERT_EQ(lstat(path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0600u);
  }
}

TEST_F(PerTaskFilesTest, EachThreadsJsonLinesAreItsEventsOfTheWholeDecode) {
  Outcome ff = decode({capture_, "--json", "-ff", "-o", out_.file("out")});
  ASSERT_EQ(ff.status, 0) << ff.describe();
  // Each event with its context joined in, as a consumer reads it: the ids
  // of the context lines are each file's own.
  std::vector<std::string> whole, split;
  for (const auto& e : decode_json(capture_)) {
    ASSERT_NE(str_of(e, "kind"), "lost") << "a capture without losses, for exact events";
    whole.push_back(e.dump());
  }
  const auto files = files_by_tid(out_.path(), "out");
  ASSERT_GE(files.size(), 3u);
  std::string all;
  for (const auto& [tid, path] : files) {
    SCOPED_TRACE(path);
    const std::string text = read_file(path);
    all += text;
    std::string error;
    const auto events = parse_json_lines(text, error);
    EXPECT_EQ(error, "") << "each file reads alone";
    for (const auto& e : events) {
      EXPECT_EQ(int_of(e, "tid"), tid) << e.dump();
      split.push_back(e.dump());
    }
  }
  EXPECT_EQ(schema_problems(all, "events", dir_.path()), "");
  std::sort(whole.begin(), whole.end());
  std::sort(split.begin(), split.end());
  EXPECT_EQ(split, whole) << "the files hold the whole decode's events, each once";
}

// A file per thread, never one descriptor each: 1500 processes decoded
// under a limit of 64 open files.
TEST_F(LiveTest, ThousandsOfThreadsUnderALowDescriptorLimit) {
  constexpr int kChildren = 1500;
  const std::string cap = file("forks.etrace");
  Outcome c = capture({"-q", "-o", cap, "--", "/bin/sh", "-c",
                       "i=0; while [ $i -lt " + std::to_string(kChildren) + " ]; do (exit 0) & i=$((i+1)); done; wait"},
                      120s);
  ASSERT_EQ(c.status, 0) << c.describe();
  std::set<int64_t> tids;
  for (const auto& e : decode_json(cap))
    if (auto tid = int_of(e, "tid")) tids.insert(*tid);
  ASSERT_GT(tids.size(), static_cast<size_t>(kChildren)) << "the shell and every child";

  TempDir out("etrace-ff");
  const auto started = std::chrono::steady_clock::now();
  Outcome ff = run({"/bin/sh", "-c", "ulimit -n 64 && exec \"$@\"", "sh", kDecode, cap, "-ff", "-o", out.file("out")},
                   dir_.path(), 120s);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  ASSERT_EQ(ff.status, 0) << ff.describe();
  const auto files = files_by_tid(out.path(), "out");
  std::set<int64_t> file_tids;
  for (const auto& [tid, _] : files) file_tids.insert(tid);
  EXPECT_EQ(file_tids, tids);
  RecordProperty("files", static_cast<int>(files.size()));
  RecordProperty("decode_ms", static_cast<int>(took.count()));
  std::cout << "-ff: " << files.size() << " files in " << took.count() << " ms under ulimit -n 64\n";
}

}  // namespace
}  // namespace etrace::live
