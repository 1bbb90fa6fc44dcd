// etrace-decode --json on a real capture of real programs, as SQL and
// dataframe loaders read it: one JSON type per field path, whatever the
// row; every line by the published schema; the process context once per
// thread (or in every line, or nowhere) carrying the same facts.
#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

TEST_F(LiveTest, JsonHasOneTypePerPathAndContextsOncePerThread) {
  const std::string out = file("json.etrace");
  Outcome cap = capture({"-o", out, "--", "/bin/sh", "-c", "ls -l /etc /nonexistent >/dev/null 2>&1; cat /etc/hostname"});
  ASSERT_EQ(cap.status, 0) << cap.describe();

  Outcome lines = decode({out, "--json", "-y"});
  ASSERT_EQ(lines.status, 0) << lines.describe();
  EXPECT_EQ(schema_problems(lines.out, "events", dir_.path(), true), "");

  Outcome inline_ctx = decode({out, "--json", "-y", "--ctx", "inline"});
  Outcome no_ctx = decode({out, "--json", "-y", "--no-ctx"});
  ASSERT_EQ(inline_ctx.status, 0) << inline_ctx.describe();
  ASSERT_EQ(no_ctx.status, 0) << no_ctx.describe();
  // Joined by ctx_id, the context lines give each event what inline gives it.
  std::string error;
  const auto joined = parse_json_lines(lines.out, error);
  ASSERT_EQ(error, "");
  const auto full = parse_json_lines(inline_ctx.out, error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(joined.size(), full.size());
  size_t with_ctx = 0;
  for (size_t i = 0; i < joined.size(); ++i) {
    EXPECT_EQ(joined[i], full[i]) << i;
    with_ctx += full[i].contains("ctx");
  }
  EXPECT_GT(with_ctx, 100u);
  EXPECT_LT(lines.out.size(), inline_ctx.out.size() * 3 / 4) << "the context, in every line, was a third of them or more";
  EXPECT_LT(no_ctx.out.size(), lines.out.size());
  EXPECT_EQ(no_ctx.out.find("\"ctx"), std::string::npos);
}

}  // namespace
}  // namespace etrace::live
