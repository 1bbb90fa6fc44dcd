// Text output of calls shown `<unfinished ...>`: a path the capture could
// read only at the call's exit (its page was not yet faulted in at entry)
// is shown on the unfinished line, as strace shows it, and as the JSON of
// the same call has it.
#include <fcntl.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

// The path argument of the calls checked, by the tracepoint's name.
const std::map<std::string, const char*> kPathArgs = {
    {"openat", "filename"}, {"newfstatat", "filename"}, {"statfs", "pathname"}};

struct EntryLine {
  std::string text;  // without its leader
  bool unfinished;
};

// The lines of `text` on which a checked call starts (a whole call, or its
// unfinished part), per tid and call name, in order. A line without
// "[pid N] " is of `first_tid`: strace names no thread while only one is seen.
std::map<std::pair<int64_t, std::string>, std::vector<EntryLine>> entry_lines(const std::string& text,
                                                                                int64_t first_tid) {
  std::map<std::pair<int64_t, std::string>, std::vector<EntryLine>> out;
  for (std::string line : lines_of(text)) {
    int64_t tid = first_tid;
    if (line.rfind("[pid ", 0) == 0) {
      const size_t end = line.find("] ");
      tid = std::stoll(line.substr(5, end - 5));
      line = line.substr(end + 2);
    }
    const std::string name = line.substr(0, line.find('('));
    if (!kPathArgs.count(name)) continue;
    const bool unfinished = line.size() >= 16 && line.compare(line.size() - 16, 16, "<unfinished ...>") == 0;
    out[{tid, name}].push_back({line, unfinished});
  }
  return out;
}

// Checks that every unfinished line of a checked call shows the path the
// JSON of that call has; says how many did.
size_t expect_unfinished_paths_as_json(const std::string& text, const std::vector<Json>& events) {
  std::map<std::pair<int64_t, std::string>, std::vector<Json>> json;
  int64_t first_tid = -1;
  for (const auto& e : events) {
    if (!is_call(e)) continue;
    if (first_tid < 0) first_tid = int_of(e, "tid").value_or(-1);
    const std::string name = str_of(e, "syscall");
    if (kPathArgs.count(name)) json[{*int_of(e, "tid"), name}].push_back(e);
  }
  const auto lines = entry_lines(text, first_tid);
  size_t shown = 0;
  for (const auto& [key, calls_of_thread] : json) {
    const auto it = lines.find(key);
    const size_t n = it == lines.end() ? 0 : it->second.size();
    EXPECT_EQ(n, calls_of_thread.size()) << "tid " << key.first << " " << key.second << " in:\n" << text;
    for (size_t i = 0; i < std::min(n, calls_of_thread.size()); ++i) {
      const EntryLine& line = it->second[i];
      const std::string path = arg_text(calls_of_thread[i], kPathArgs.at(key.second));
      if (!line.unfinished || path.empty()) continue;
      // A bare address where JSON has the string fails this too.
      EXPECT_NE(line.text.find("\"" + path + "\""), std::string::npos)
          << line.text << "\nJSON: " << calls_of_thread[i].dump();
      ++shown;
    }
  }
  return shown;
}

}  // namespace

// The workload opens FIFOs by paths in pages never touched: each open blocks
// until a second thread, 20 ms later, opens the FIFO to write, so each is
// shown unfinished; the capture reads each path only at the call's exit.
TEST_F(LiveTest, UnfinishedLinesShowPathsReadAtExit) {
  const std::string out = file("fifo.etrace");
  const std::string dir = file("fifos");
  ASSERT_TRUE(std::filesystem::create_directory(dir));
  Outcome cap = capture({"-q", "-o", out, "--", kWorkload, "fifo", dir, "3"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  Outcome text = decode({out});
  ASSERT_EQ(text.status, 0) << text.describe();
  const auto events = decode_json(out);

  // Each FIFO's read-side open: its JSON has the path, and so has its
  // unfinished line.
  std::set<std::string> fifos;
  for (const auto& e : calls(events, "openat"))
    if (arg_of(e, "flags") == O_RDONLY && arg_text(e, "filename").rfind(dir + "/fifo", 0) == 0)
      fifos.insert(arg_text(e, "filename"));
  EXPECT_EQ(fifos.size(), 3u) << summary(calls(events, "openat"));
  for (const auto& fifo : fifos)
    EXPECT_NE(text.out.find("openat(AT_FDCWD, \"" + fifo + "\", O_RDONLY <unfinished ...>"), std::string::npos)
        << fifo << " in:\n" << text.out;
  EXPECT_GE(expect_unfinished_paths_as_json(text.out, events), 3u);
}

// The case as it was met: two `stat -f` at once in a subshell.
TEST_F(LiveTest, UnfinishedLinesOfConcurrentStatsShowTheirPaths) {
  const std::string out = file("stat.etrace");
  Outcome cap =
      capture({"-q", "-o", out, "--", "sh", "-c", "( stat -f / >/dev/null & stat -f /tmp >/dev/null & wait )"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  Outcome text = decode({out});
  ASSERT_EQ(text.status, 0) << text.describe();
  expect_unfinished_paths_as_json(text.out, decode_json(out));
}

}  // namespace etrace::live
