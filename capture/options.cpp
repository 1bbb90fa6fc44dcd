#include "capture/options.h"

#include <CLI/CLI.hpp>

#include <cstring>
#include <iostream>

namespace etrace::capture {

namespace {

// The ring buffer's size must be a power of two and a multiple of the page size.
bool valid_buffer_size(uint64_t n) { return n >= (1u << 16) && (n & (n - 1)) == 0; }

}  // namespace

std::optional<Options> parse_options(int argc, char** argv, int& exit_code) {
  Options o;
  o.argv.assign(argv, argv + argc);

  // Everything after the first "--" is the command to run, untouched by CLI11.
  int ours = argc;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--") == 0) {
      ours = i;
      o.command.assign(argv + i + 1, argv + argc);
      break;
    }

  CLI::App app{"etrace-capture: record syscalls with eBPF into a capture file for etrace-decode.", "etrace-capture"};
  app.footer("To run and trace a command: etrace-capture [OPTIONS] -- COMMAND [ARGS...]");
  bool raw = false, no_follow = false;
  std::string buffer_size;
  app.add_option("-p,--pid", o.pids, "Trace process PID, all its threads (repeatable)");
  app.add_option("-c,--comm", o.comms, "Trace processes whose command name is NAME (repeatable)");
  app.add_option("-s,--syscall", o.syscalls, "Trace only syscall NAME (repeatable)");
  app.add_flag("--raw", raw, "Record raw records (the only capture mode; accepted for habit)");
  app.add_flag("--no-follow", no_follow, "Do not trace the children of traced processes");
  app.add_option("-o,--output", o.output, "Write the capture to FILE ('-' for standard output)");
  app.add_option("--duration", o.duration_s, "Stop after SECONDS")->check(CLI::PositiveNumber);
  app.add_option("--buffer-size", buffer_size, "Ring buffer size in bytes (power of two; K and M suffixes)");
  app.add_flag("-q,--quiet", o.quiet, "Print nothing but errors");
  app.add_flag("-v,--verbose", o.verbose, "Also print libbpf's messages when loading fails");

  try {
    app.parse(ours, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  }
  o.follow = !no_follow;
  if (!buffer_size.empty()) {
    char* end = nullptr;
    uint64_t n = std::strtoull(buffer_size.c_str(), &end, 10);
    if (*end == 'K' || *end == 'k') n <<= 10, ++end;
    else if (*end == 'M' || *end == 'm') n <<= 20, ++end;
    if (*end != '\0' || !valid_buffer_size(n)) {
      std::cerr << "etrace-capture: --buffer-size must be a power of two of at least 64K, such as 16M (got '"
                << buffer_size << "')\n";
      exit_code = 2;
      return std::nullopt;
    }
    o.buffer_bytes = n;
  }
  if (ours < argc && o.command.empty()) {
    std::cerr << "etrace-capture: '--' must be followed by the command to run\n";
    exit_code = 2;
    return std::nullopt;
  }
  return o;
}

}  // namespace etrace::capture
