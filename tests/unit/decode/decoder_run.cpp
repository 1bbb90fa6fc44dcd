#include "decoder_run.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace etrace::test {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

DecoderRun run_decoder(const std::string& capture, const std::string& args, bool stdin_input) {
  char dir[] = "/tmp/etrace-decode-test-XXXXXX";
  if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp");
  const std::string d = dir;
  {
    std::ofstream f(d + "/cap", std::ios::binary);
    f << capture;
  }
  const std::string input = stdin_input ? " - < " + d + "/cap" : " " + d + "/cap";
  const std::string cmd = std::string(ETRACE_DECODE_BIN) + " " + args + input + " >" + d + "/out 2>" + d + "/err";
  const int rc = std::system(cmd.c_str());
  DecoderRun r{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(d + "/out"), slurp(d + "/err")};
  std::system(("rm -rf " + d).c_str());
  return r;
}

}  // namespace etrace::test
