// A rotated capture decoded as one: named by its files or by their base,
// its calls pair across the files, and its statistics add up.
#include <unistd.h>

#include <filesystem>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

TEST_F(LiveTest, RotatedFilesDecodeAsOneCapture) {
  constexpr int kRounds = 20;
  const std::string base = file("set.etrace");
  Outcome cap = capture({"-q", "--rotate-size", "64K", "-o", base, "--", kWorkload, "ticks", std::to_string(kRounds)});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  std::vector<std::string> parts;
  for (int i = 0; std::filesystem::exists(base + "." + std::to_string(i)); ++i) parts.push_back(base + "." + std::to_string(i));
  ASSERT_GE(parts.size(), 3u) << "the ticks outgrow 64K several times";

  // Each file alone cuts the calls at its edges; the set does not.
  Outcome whole = decode({base, "--json"});
  ASSERT_EQ(whole.status, 0) << whole.describe();
  std::string error;
  const auto events = parse_json_lines(whole.out, error);
  ASSERT_EQ(error, "");
  // The rounds, and the getpid that wrote "ready PID".
  EXPECT_EQ(static_cast<int64_t>(calls(events, "getpid").size()), kRounds * kGetpids + 1);
  for (const auto& e : events) {
    if (is_call(e)) {
      EXPECT_FALSE(e.value("unfinished", false) && str_of(e, "syscall") != "exit_group") << e.dump();
    }
  }
  size_t cut = 0;
  for (const auto& part : parts) {
    Outcome alone = decode({part, "--json"});
    ASSERT_EQ(alone.status, 0) << alone.describe();
    for (const auto& e : parse_json_lines(alone.out, error))
      cut += is_call(e) && (e.value("unfinished", false) || is_null(e, "duration_ns")) ? 1 : 0;
  }
  EXPECT_GE(cut, 1u) << "a file alone shows calls cut at its edges";

  // The files named one by one are the same as the base.
  std::vector<std::string> named = parts;
  named.push_back("--json");
  Outcome listed = decode(named);
  EXPECT_EQ(listed.out, whole.out);

  // --stats counts the records of every file.
  Outcome stats = decode({base, "--stats", "--json"});
  ASSERT_EQ(stats.status, 0) << stats.describe();
  uint64_t in_files = 0;
  for (const auto& part : parts) {
    Outcome info = decode({part, "--info", "--json"});
    const Json summary = Json::parse(info.out);  // kept: the loop walks into it
    for (const auto& [type, n] : summary["records"].items()) in_files += std::stoull(n.get<std::string>());
  }
  const Json report = Json::parse(stats.out);
  EXPECT_EQ(int_of(report["capture"], "records"), static_cast<int64_t>(in_files)) << report.dump();

  // A file of another capture is another capture, merged by time: on
  // this one host, its events are marked apart (merge_test.cpp).
  const std::string other = file("other.etrace");
  ASSERT_EQ(capture({"-q", "-o", other, "--", "/bin/true"}).status, 0);
  Outcome mixed = decode({parts[0], other});
  EXPECT_EQ(mixed.status, 0) << mixed.describe();
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof(host) - 1), 0);
  EXPECT_EQ(mixed.out.rfind("[" + std::string(host) + "] ", 0), 0u) << mixed.out.substr(0, 300);
  EXPECT_NE(mixed.out.find("\n[" + std::string(host) + "#2] "), std::string::npos) << mixed.out.substr(0, 300);
}

}  // namespace
}  // namespace etrace::live
