// etrace-decode -y on real captures: descriptors named by the paths the
// capture saw them opened with (run-a-command mode), and by the snapshot
// of a running process's descriptors taken when tracing starts (-p).
#include <fcntl.h>

#include <algorithm>
#include <filesystem>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

// A descriptor argument as -y gives it in JSON: {"value": 3, "text": "3", "path": "/etc/hosts"}.
std::string path_of_arg(const Json& event, const char* name) {
  const Json& arg = event["args"][name];
  return arg.is_object() && arg.contains("path") ? arg["path"].get<std::string>() : "";
}

bool has_line(const std::vector<std::string>& lines, const std::string& wanted) {
  return std::find_if(lines.begin(), lines.end(), [&](const std::string& l) {
           // "[pid N] " leads lines once two processes are traced.
           return l == wanted || (l.starts_with("[pid ") && l.ends_with("] " + wanted));
         }) != lines.end();
}

TEST_F(LiveTest, DescriptorsShowThePathsTheyWereOpenedWith) {
  const std::string out = file("fds.etrace");
  Outcome cap = capture({"-o", out, "--", kWorkload, "run"});
  ASSERT_EQ(cap.status, kExit) << cap.describe();

  Outcome json = decode({out, "-y", "--json"});
  ASSERT_EQ(json.status, 0) << json.describe();
  std::string error;
  auto events = parse_json_lines(json.out, error);
  ASSERT_EQ(error, "");
  auto seeks = select(events, [](const Json& e) { return is_call(e, "lseek"); });
  ASSERT_EQ(seeks.size(), 2u) << summary(seeks);  // the parent's, then the forked child's
  for (const auto& seek : seeks) EXPECT_EQ(path_of_arg(seek, "fd"), "/etc/hostname") << seek.dump();
  const int64_t fd = *arg_of(seeks[0], "fd");
  auto opens = select(events, [](const Json& e) { return is_call(e, "openat") && arg_text(e, "filename") == "/dev/null"; });
  ASSERT_EQ(opens.size(), 1u) << summary(calls(events, "openat"));
  EXPECT_EQ(str_of(opens[0], "ret_path"), "/dev/null") << opens[0].dump();
  const int64_t nullfd = *int_of(opens[0], "ret");
  // The failed open names nothing.
  auto missing = select(events, [](const Json& e) { return is_call(e, "openat") && arg_text(e, "filename") == kMissingPath; });
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_FALSE(missing[0].contains("ret_path")) << missing[0].dump();

  Outcome text = decode({out, "-y"});
  ASSERT_EQ(text.status, 0) << text.describe();
  EXPECT_EQ(text.err, "");
  const auto lines = lines_of(text.out);
  const std::string F = std::to_string(fd), N = std::to_string(nullfd);
  for (const std::string& wanted : {
           // The working directory, from the held command's snapshot: ours, which it inherited.
           "openat(AT_FDCWD<" + std::filesystem::current_path().string() + ">, \"/etc/hostname\", O_RDONLY) = " + F +
               "</etc/hostname>",
           "lseek(" + F + "</etc/hostname>, " + std::to_string(kParentOffset) + ", SEEK_SET) = " +
               std::to_string(kParentOffset),
           "write(" + N + "</dev/null>, \"" + std::string(32, 'e') + "\"..., " + std::to_string(kWriteBytes) +
               ") = " + std::to_string(kWriteBytes),
           "close(" + N + "</dev/null>) = 0",
           // The child's copy of the table, made by fork.
           "lseek(" + F + "</etc/hostname>, " + std::to_string(kChildOffset) + ", SEEK_SET) = " +
               std::to_string(kChildOffset),
           "close(" + F + "</etc/hostname>) = 0",
       })
    EXPECT_TRUE(has_line(lines, wanted)) << "missing: " << wanted << "\n" << text.out;
  // Without -y, numbers alone, as before.
  Outcome plain = decode({out});
  EXPECT_TRUE(has_line(lines_of(plain.out), "close(" + N + ") = 0")) << plain.out;
}

TEST_F(LiveTest, DescriptorsOpenedBeforeAttachingComeFromTheSnapshot) {
  std::string error;
  auto target = Background::start({kWorkload, "loop"}, dir_.path(), error);
  ASSERT_TRUE(target.has_value()) << error;
  const int64_t pid = pid_of_ready_line(*target);
  ASSERT_GT(pid, 0) << target->first_line();

  const std::string out = file("attached.etrace");
  Outcome cap = capture({"-p", std::to_string(pid), "--duration", "1", "-o", out});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  Outcome json = decode({out, "-y", "--json"});
  ASSERT_EQ(json.status, 0) << json.describe();
  auto events = parse_json_lines(json.out, error);
  ASSERT_EQ(error, "");
  // Both threads seek on the file the loop opened before the capture began.
  for (int64_t offset : {kLoopOffset, kLoopThreadOffset}) {
    auto seeks = select(events, [&](const Json& e) { return is_call(e, "lseek") && arg_of(e, "offset") == offset; });
    ASSERT_FALSE(seeks.empty()) << offset << ": " << summary(events);
    for (const auto& seek : seeks) EXPECT_EQ(path_of_arg(seek, "fd"), "/etc/hostname") << seek.dump();
  }
}

}  // namespace
}  // namespace etrace::live
