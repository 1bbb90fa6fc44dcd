// etrace-capture's command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace etrace::capture {

struct Options {
  std::vector<uint32_t> pids;
  std::vector<std::string> comms;
  std::vector<std::string> syscalls;
  std::vector<std::string> cgroups;     // --cgroup PATH
  std::vector<std::string> containers;  // --container ID
  std::vector<std::string> command;  // after "--": run-a-command mode
  std::vector<std::string> libs;     // --lib LIB[:FUNC,...]: library calls to trace
  bool list_libs = false;            // --list-libs: list the libraries of -p PID and exit
  bool check = false;                // --check: report whether a capture will work here, and exit
  bool follow = true;
  bool kill_on_exit = false;         // --kill-on-exit: the command dies with the capture
  std::string output;                // "" = a new timestamped file; "-" = standard output
  double duration_s = 0;             // 0 = until stopped
  uint64_t buffer_bytes = 16ull << 20;
  uint64_t max_events = 0;           // 0 = no limit
  uint64_t max_size = 0;             // bytes; 0 = no limit
  uint64_t rotate_size = 0;          // bytes; 0 = one file
  uint32_t rotate_count = 0;         // 0 = keep every rotated file
  uint32_t bytes = 256;              // --bytes: cap per copied buffer
  uint32_t string_limit = 4096;      // --string-limit: cap per copied string or path
  bool btf = true;                   // --no-btf leaves the kernel's BTF out of the file
  bool quiet = false;
  bool verbose = false;            // libbpf's own messages too
  std::vector<std::string> argv;     // as typed, for the capture file
};

// The command line, or the status to exit with when it asks for nothing to
// capture (--help) or is wrong; either way, what to say was printed.
struct CommandLine {
  std::optional<Options> options;
  int exit_code = 0;
};

CommandLine parse_options(int argc, char** argv);

}  // namespace etrace::capture
