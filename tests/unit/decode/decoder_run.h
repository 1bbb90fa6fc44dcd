// Runs the real etrace-decode binary on a capture's bytes, for tests of its
// command line.
#pragma once

#include <string>

namespace etrace::test {

struct DecoderRun {
  int status;
  std::string out;
  std::string err;
};

// A file's whole content ("" when unreadable).
std::string slurp(const std::string& path);

// `etrace-decode ARGS FILE`, or with `stdin_input` `etrace-decode ARGS - < FILE`.
DecoderRun run_decoder(const std::string& capture, const std::string& args, bool stdin_input = false);

}  // namespace etrace::test
