#include "capture/options.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <linux/types.h>

#include "common/command_line.h"
#include "common/result.h"
#include "format/file_layout.h"
#include "format/records.h"

namespace etrace::capture {

namespace {

// The size options as typed, checked once CLI11 has parsed them.
struct SizeTexts {
  std::string buffer_size, max_events, max_size, rotate_size, rotate_count, bytes, duration;
};

// Flags that set no field of Options as they are: --raw and -f (accepted,
// and nothing more; -ff is refused), --no-follow and --no-btf (the opposite
// of theirs).
struct FlagTexts {
  bool raw = false, no_follow = false, no_btf = false;
  int follow = 0;
};

// The ring buffer's size must be a power of two and a multiple of the page size.
bool valid_buffer_size(uint64_t n) { return n >= (1u << 16) && (n & (n - 1)) == 0; }

// "100", "64K", "10M", "2G": bytes; nullopt when it is not a positive size.
std::optional<uint64_t> parse_size(const std::string& text, bool suffixes) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  uint64_t n = std::strtoull(text.c_str(), &end, 10);
  int shift = 0;
  if (suffixes && (*end == 'K' || *end == 'k')) shift = 10, ++end;
  else if (suffixes && (*end == 'M' || *end == 'm')) shift = 20, ++end;
  else if (suffixes && (*end == 'G' || *end == 'g')) shift = 30, ++end;
  if (*end != '\0' || errno == ERANGE || n == 0 || n > (UINT64_MAX >> shift)) return std::nullopt;
  return n << shift;
}

// --buffer-size, into `out` when given.
Result<void> parse_buffer_size(const std::string& text, uint64_t& out) {
  if (text.empty()) return {};
  char* end = nullptr;
  uint64_t n = std::strtoull(text.c_str(), &end, 10);
  if (*end == 'K' || *end == 'k') n <<= 10, ++end;
  else if (*end == 'M' || *end == 'm') n <<= 20, ++end;
  if (*end != '\0' || !valid_buffer_size(n))
    return Error{"--buffer-size must be a power of two of at least 64K, such as 16M (got '" + text + "')"};
  out = n;
  return {};
}

// One of the limit options, into `out` when given.
Result<void> parse_limit(const std::string& text, const char* option, bool suffixes, uint64_t& out) {
  if (text.empty()) return {};
  auto n = parse_size(text, suffixes);
  if (!n)
    return Error{option + std::string(suffixes ? " must be a size in bytes such as 64K, 100M or 2G (got '"
                                                : " must be a positive whole number (got '") +
                 text + "')"};
  out = *n;
  return {};
}

// -s/--bytes N, the copy size. Before -s was strace's string size here, it
// chose syscalls: a name is refused with where that went.
Result<void> parse_bytes(const std::string& text, uint32_t& out) {
  if (text.empty()) return {};
  char* end = nullptr;
  errno = 0;
  const unsigned long n = std::strtoul(text.c_str(), &end, 10);
  if (text[0] >= '0' && text[0] <= '9' && *end == '\0' && errno == 0 && n < ETRACE_MAX_ITEM) {
    out = static_cast<uint32_t>(n);
    return {};
  }
  if (text[0] < '0' || text[0] > '9')
    return Error{"-s is the string size, as in strace (-s 256); to choose syscalls, use -e trace=" + text +
                 " or --syscall " + text};
  return Error{"-s/--bytes must be a whole number from 0 to " + std::to_string(ETRACE_MAX_ITEM - 1) + " (got '" +
               text + "')"};
}

// -e trace=SET into the syscalls; status= is the decoder's.
Result<void> parse_qualifiers(Options& o) {
  Qualifiers q;
  for (const auto& expr : o.qualifiers)
    if (auto parsed = parse_qualifier(expr, q); !parsed) return parsed;
  if (!q.status.empty())
    return Error{"etrace-capture records every outcome; choose calls by outcome when decoding: etrace-decode -e "
                 "status=" +
                 q.status.front()};
  o.syscalls.insert(o.syscalls.end(), q.trace.begin(), q.trace.end());
  return {};
}

// The sizes and limits typed; the first one wrong is the error.
Result<void> parse_sizes(const SizeTexts& texts, Options& o) {
  uint64_t count = 0;
  if (auto parsed = parse_buffer_size(texts.buffer_size, o.buffer_bytes); !parsed) return parsed;
  if (auto parsed = parse_limit(texts.max_events, "--max-events", false, o.max_events); !parsed) return parsed;
  if (auto parsed = parse_limit(texts.max_size, "--max-size", true, o.max_size); !parsed) return parsed;
  if (auto parsed = parse_limit(texts.rotate_size, "--rotate-size", true, o.rotate_size); !parsed) return parsed;
  if (auto parsed = parse_limit(texts.rotate_count, "--rotate-count", false, count); !parsed) return parsed;
  o.rotate_count = static_cast<uint32_t>(std::min<uint64_t>(count, UINT32_MAX));
  if (!texts.duration.empty()) {
    auto duration = parse_duration(texts.duration);
    if (!duration) return Error{"--duration: " + duration.error().message};
    o.duration_s = *duration;
  }
  return parse_bytes(texts.bytes, o.bytes);
}

// What to trace (-p, -c, -s, --lib, --cgroup, --container), or what to do
// instead (--list-libs, --check).
void add_target_options(CLI::App& app, Options& o) {
  app.option_defaults()->group("What to trace");
  app.add_option("-p,--pid", o.pids, "Trace process PID, all its threads (repeatable; comma-separated lists too)")
      ->delimiter(',');
  app.add_option("-c,--comm", o.comms, "Trace processes whose command name is NAME (repeatable)");
  app.add_option("--syscall", o.syscalls, "Trace only these syscalls: NAME, %CLASS, !NAME or !%CLASS to exclude; comma-separated lists too (repeatable)");
  app.add_option("-e", o.qualifiers, "As strace: -e trace=SET (the syscalls, as --syscall); repeatable")
      ->option_text("EXPR");
  app.add_option("--lib", o.libs,
                 "Trace calls into library LIB (a path, or a soname such as libc.so.6): all its exported functions, "
                 "or those named (globs such as str* allowed); with -p or a command; repeatable")
      ->option_text("LIB[:FUNC,...]");
  app.add_flag("--list-libs", o.list_libs,
               "List the shared objects process -p PID has mapped, with their number of exported functions, and exit");
  app.add_flag("--check", o.check,
               "Load every BPF program as a capture would, report this kernel's features, the path taken where "
               "one is missing and each program's verifier cost, and exit 0 when a capture will work here");
  app.add_option("--cgroup", o.cgroups,
                 "Trace only tasks in this cgroup v2 or below it: /sys/fs/cgroup/... or a path from its root "
                 "(repeatable; with -p, -c or a command, only their tasks inside it)");
  app.add_option("--container", o.containers,
                 "Trace only tasks of this container (its id, or a prefix of 12 or more hex digits): its cgroup, "
                 "as --cgroup (repeatable)");
}

// --raw, -f, --no-follow, --kill-on-exit: how the targets are traced.
void add_following_options(CLI::App& app, Options& o, FlagTexts& flags) {
  app.option_defaults()->group("How the targets are followed");
  app.add_flag("--raw", flags.raw, "Record raw records (the only capture mode; accepted for habit)");
  auto* no_follow = app.add_flag("--no-follow", flags.no_follow, "Do not trace the children of traced processes");
  app.add_flag("-f", flags.follow, "Trace the children of traced processes: the default, accepted for strace's habit")
      ->excludes(no_follow);
  app.add_flag("--kill-on-exit", o.kill_on_exit,
               "With a command: kill it, and the processes it started, when the capture stops before it exits "
               "(otherwise it goes on, untraced)");
}

// Where the capture goes, and when it stops.
void add_output_options(CLI::App& app, Options& o, SizeTexts& sizes) {
  app.option_defaults()->group("Where the capture goes, and when it stops");
  app.add_option("-o,--output", o.output, "Write the capture to FILE ('-' for standard output)");
  app.add_flag("--live", o.live,
               "Also show the capture decoded on standard error as it is written (etrace-decode's text, within a "
               "tenth of a second)");
  app.add_option("--duration", sizes.duration, "Stop after this long: seconds, or 500ms, 5s, 2m, 1h")
      ->option_text("TIME");
  app.add_option("--buffer-size", sizes.buffer_size, "Ring buffer size in bytes (power of two; K and M suffixes)");
  app.add_option("--max-events", sizes.max_events, "Stop after N records written");
  app.add_option("--max-size", sizes.max_size, "Stop when the file reaches SIZE bytes (K, M and G suffixes)");
  app.add_option("--rotate-size", sizes.rotate_size,
                 "With -o FILE: move on to a new file FILE.0, FILE.1, ... each time one passes SIZE bytes");
  app.add_option("--rotate-count", sizes.rotate_count, "With --rotate-size: keep only the newest N files");
}

// What is copied with each record, and what is said.
void add_copy_options(CLI::App& app, Options& o, SizeTexts& sizes, FlagTexts& flags) {
  app.option_defaults()->group("What is copied, and what is said");
  app.add_option("-s,--bytes", sizes.bytes,
                 "Copy at most N bytes of each buffer argument (the data of read, write, send...: what strace's -s "
                 "cuts; default 256)")
      ->option_text("N");
  app.add_option("--string-limit", o.string_limit, "Copy at most N bytes of each string or path (default 4096)")
      ->check(CLI::Range(1u, static_cast<unsigned>(ETRACE_MAX_ITEM - 1)));
  app.add_flag("--no-btf", flags.no_btf, "Leave the kernel's BTF out of the file (smaller; decode then needs --btf)");
  app.add_flag("-q,--quiet", o.quiet, "Print nothing but errors (no status line, no closing table)");
  app.add_flag("--no-status", o.no_status, "No status line on the terminal while capturing");
  app.add_flag("--no-table", o.no_table, "No closing table of records per syscall (the last line stays)");
  app.add_flag("-v,--verbose", o.verbose, "Also print libbpf's messages when loading fails");
}

// Options that make no sense together, or without what they need: the
// sentence refusing the first such, or "". `has_command`: "--" was given.
std::string misuse(const Options& o, bool has_command) {
  if (o.rotate_count && !o.rotate_size) return "--rotate-count needs --rotate-size, which turns rotation on";
  if (o.rotate_size && (o.output.empty() || o.output == "-"))
    return "--rotate-size needs -o FILE naming a file (not '-'), as the capture goes to FILE.0, FILE.1, ...";
  if (o.rotate_size && o.max_size)
    return "--max-size cannot be combined with --rotate-size; use --rotate-count to bound the space a rotated "
           "capture takes";
  if (o.list_libs && (o.pids.size() != 1 || has_command)) return "--list-libs needs exactly one -p PID, and no command";
  if (o.live && o.output == "-")
    return "--live shows the capture while it is written to a file: give -o FILE, not '-' (or pipe standard "
           "output into etrace-decode -)";
  if (o.live && o.rotate_size) return "--live follows one file: it cannot be combined with --rotate-size";
  if (o.kill_on_exit && !has_command)
    return "--kill-on-exit needs a command to run (etrace-capture [OPTIONS] -- COMMAND): it kills that command";
  if (!o.libs.empty() && o.pids.empty() && !has_command)
    return "--lib needs -p PID or a command to run: library calls are traced in those processes";
  if (has_command && o.command.empty()) return "'--' must be followed by the command to run";
  return "";
}

CommandLine refuse(const std::string& sentence) {
  std::cerr << "etrace-capture: " << sentence << "\n";
  return {std::nullopt, 2};
}

}  // namespace

CommandLine parse_options(int argc, char** argv) {
  Options o;
  o.argv.assign(argv, argv + argc);
  // Everything after the first "--" is the command to run, untouched by CLI11.
  int ours = argc;
  for (int i = 1; i < argc && ours == argc; ++i)
    if (std::strcmp(argv[i], "--") == 0) ours = i;
  if (ours < argc) o.command.assign(argv + ours + 1, argv + argc);

  CLI::App app{"etrace-capture: record syscalls with eBPF into a capture file for etrace-decode.", "etrace-capture"};
  app.footer(
      "To run and trace a command: etrace-capture [OPTIONS] -- COMMAND [ARGS...]\n\n"
      "Examples:\n"
      "  etrace-capture -- make -j2                    a command and its children; exits with its status\n"
      "  etrace-capture --raw -c postgres              every process named postgres, until Ctrl-C\n"
      "  etrace-capture -p 1234,5678 --duration 10s    running processes, for ten seconds\n"
      "  etrace-capture -e trace=openat,execve -o open.raw -- ./build.sh\n"
      "  etrace-capture --live -o ls.raw -- ls         record, and watch it decoded as it happens\n"
      "  etrace-capture --check                        will a capture work on this kernel?\n\n"
      "Then: etrace-decode FILE. See etrace-capture(1).");
  FlagTexts flags;
  SizeTexts sizes;
  // In the order --help lists them.
  add_target_options(app, o);
  add_following_options(app, o, flags);
  add_output_options(app, o, sizes);
  add_copy_options(app, o, sizes, flags);
  app.set_version_flag("--version", version_line("etrace-capture", format::kMajorVersion, format::kMinorVersion));
  try {
    app.parse(ours, argv);
  } catch (const CLI::ParseError& e) {
    return {std::nullopt, say_parse_error(app, e, "to trace a command, put it after '--': etrace-capture [OPTIONS] -- COMMAND [ARGS...]")};
  }
  if (flags.follow > 1)
    return refuse("-ff is etrace-decode's: capture as usual (children are followed), then etrace-decode -ff -o PREFIX "
                  "FILE writes each thread's calls to PREFIX.TID");
  o.follow = !flags.no_follow;
  o.btf = !flags.no_btf;
  if (auto parsed = parse_sizes(sizes, o); !parsed) return refuse(parsed.error().message);
  if (auto parsed = parse_qualifiers(o); !parsed) return refuse(parsed.error().message);
  if (auto sentence = misuse(o, ours < argc); !sentence.empty()) return refuse(sentence);
  return {std::move(o), 0};
}

}  // namespace etrace::capture
