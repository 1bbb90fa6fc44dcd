// A load the kernel refuses is explained by what the verifier said, on the
// running kernel: the program named, its last words quoted, no guess at
// privileges (capture/load_diagnosis.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "capture/load_diagnosis.h"
#include "etrace_refused.skel.h"

namespace etrace::capture {
namespace {

TEST(LoadRefusal, TheVerifiersRefusalIsQuotedWithTheProgram) {
  const char* required = std::getenv("ETRACE_REQUIRE_BPF");
  if (geteuid() != 0) {
    if (required && std::string(required) == "1") FAIL() << "not root: the refusal cannot be provoked";
    GTEST_SKIP() << "not root: loading BPF needs root";
  }
  struct etrace_refused* skel = etrace_refused__open();
  ASSERT_NE(skel, nullptr);
  std::string sentence;
  {
    LibbpfMessages messages(false);
    ProgramLogs logs(skel->obj, 0);
    const int err = etrace_refused__load(skel);
    ASSERT_NE(err, 0) << "the verifier accepted an unbounded stack write";
    sentence = explain_load_failure(err, messages.text(), logs);
  }
  etrace_refused__destroy(skel);
  EXPECT_NE(sentence.find("verifier refused BPF program refused_unbounded"), std::string::npos) << sentence;
  EXPECT_NE(sentence.find("saying \""), std::string::npos) << "the verifier's words are missing: " << sentence;
  EXPECT_EQ(sentence.find("root"), std::string::npos) << sentence;
  EXPECT_EQ(sentence.find("CAP_"), std::string::npos) << sentence;
}

}  // namespace
}  // namespace etrace::capture
