// Every input in tests/fuzz/regressions (files the fuzzers once crashed or
// hung on, kept by scripts/fuzz.sh) run through the real etrace-decode in
// each of its output modes: it must end as issue 14 item 6 asks, by
// decoding (exit 0, warnings allowed) or in one sentence and exit 1, and
// nothing else on standard error (a sanitizer's report in the ASan build);
// what it wrote as JSON before it stopped must parse.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decoder_run.h"

using namespace etrace::test;

namespace {

std::vector<std::filesystem::path> regressions() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(ETRACE_FUZZ_REGRESSIONS_DIR))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Each line etrace-decode wrote on standard error is its own, a warning
// unless it is the last and the exit was 1.
void expect_clean_end(const DecoderRun& r, const std::string& what) {
  ASSERT_TRUE(r.status == 0 || r.status == 1) << what << ": exit " << r.status << "\n" << r.err;
  std::istringstream lines(r.err);
  std::vector<std::string> all;
  for (std::string line; std::getline(lines, line);) all.push_back(line);
  for (size_t i = 0; i < all.size(); ++i) {
    const bool sentence = r.status == 1 && i + 1 == all.size();
    EXPECT_EQ(all[i].rfind(sentence ? "etrace-decode: " : "etrace-decode: warning: ", 0), 0u)
        << what << ": line " << i + 1 << " of\n" << r.err;
  }
  if (r.status == 1) {
    EXPECT_FALSE(all.empty()) << what << ": exit 1 without a reason";
  }
}

}  // namespace

TEST(FuzzRegressions, EachEndsInOutputOrOneSentence) {
  const auto inputs = regressions();
  ASSERT_FALSE(inputs.empty());
  for (const auto& path : inputs) {
    const std::string capture = slurp(path);
    const std::string name = path.filename().string();
    for (const char* args : {"", "-yy -v -tt -T -x", "--stats", "--perfetto /dev/null"})
      expect_clean_end(run_decoder(capture, args), name + " with '" + args + "'");
    const DecoderRun lines = run_decoder(capture, "--json");
    expect_clean_end(lines, name + " with '--json'");
    std::istringstream in(lines.out);
    for (std::string line; std::getline(in, line);)
      EXPECT_TRUE(!line.empty() && line.front() == '{' && nlohmann::json::accept(line)) << name << ": " << line;
    const DecoderRun stats = run_decoder(capture, "--stats --json");
    expect_clean_end(stats, name + " with '--stats --json'");
    if (!stats.out.empty()) {
      EXPECT_TRUE(nlohmann::json::accept(stats.out)) << name << ": " << stats.out;
    }
  }
}
