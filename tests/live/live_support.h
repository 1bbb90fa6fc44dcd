// What the live tests need around the programs they run: child processes
// with captured output and a time limit, a scratch directory, the decision
// whether BPF can be used here, and readers for the tools' outputs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/scratch_files.h"

namespace etrace::live {

using Json = nlohmann::json;
using namespace std::chrono_literals;
using test::names_in;
using test::read_file;
using test::TempDir;

// How a program ended and what it printed.
struct Outcome {
  int status = -1;  // exit code, 128 + signal when killed, -1 when it timed out
  bool timed_out = false;
  std::string out;
  std::string err;

  // "exit 7" plus its stderr: for failure messages.
  std::string describe() const;
};

// Runs argv (argv[0] a path) with stdin from /dev/null and stdout/stderr
// collected through files in `dir`; kills it when `timeout` passes.
Outcome run(const std::vector<std::string>& argv, const std::string& dir, std::chrono::milliseconds timeout = 60s);

// Runs `producer | consumer` without a shell; returns both outcomes (the
// producer's stdout is the pipe, so its `out` stays empty).
std::pair<Outcome, Outcome> run_pipeline(const std::vector<std::string>& producer,
                                         const std::vector<std::string>& consumer, const std::string& dir,
                                         std::chrono::milliseconds timeout = 60s);

// A program left running while a test works: started with its stdout on a
// pipe, it counts as started once it printed its first line. Killed with
// SIGKILL at destruction if still running.
class Background {
 public:
  // Empty on failure, with the reason in `error`.
  static std::optional<Background> start(const std::vector<std::string>& argv, const std::string& dir,
                                         std::string& error, std::chrono::milliseconds ready_within = 10s);
  // Starts it without waiting for a line: its stdout is discarded.
  static std::optional<Background> launch(const std::vector<std::string>& argv, const std::string& dir,
                                          std::string& error);
  Background(Background&& other) noexcept;
  Background& operator=(Background&&) = delete;
  ~Background();

  pid_t pid() const { return pid_; }
  const std::string& first_line() const { return first_line_; }
  // The file its standard error goes to, readable while it runs.
  const std::string& err_path() const { return err_path_; }
  // Sends `sig` and waits for it to end; returns its outcome (stderr included).
  Outcome stop(int sig, std::chrono::milliseconds timeout = 30s);
  // Waits for it to end by itself.
  Outcome wait(std::chrono::milliseconds timeout = 30s);

 private:
  Background() = default;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string err_path_;
  std::string first_line_;
};

// Waits until the file exists with at least one byte (etrace-capture writes
// its header only once tracing is attached). False on timeout.
bool wait_for_nonempty(const std::string& path, std::chrono::milliseconds timeout = 10s);

// Why BPF tracing cannot be tested here (not root, programs do not load),
// or nothing when it can. Decided once, by running etrace-capture.
std::optional<std::string> tracing_unavailable();
// ETRACE_REQUIRE_BPF=1: an unavailable environment is a failure, not a skip.
bool tracing_required();

// Parses JSON Lines; a line that is not JSON is reported in `error`. The
// "context" lines are joined into the events that name them by ctx_id, as
// "ctx", the way a consumer joins them; an event naming a context no
// earlier line gave is reported too.
std::vector<Json> parse_json_lines(const std::string& text, std::string& error);

// What is wrong with `json_lines` (JSON Lines) by the published schema
// decode/schema/SCHEMA.schema.json, as tests/support/validate_json.py
// finds it; with `one_type`, also every field path that has more than one
// JSON type. Empty when nothing is. Its scratch file goes in `dir`.
// Of a long output, every line but the syscall lines past the first
// 50,000 is validated: under qemu's TCG, a storm's 300 k
// lines took the validator past its 300 s.
std::string schema_problems(const std::string& json_lines, const std::string& schema, const std::string& dir,
                            bool one_type = false);

// A row of etrace-capture's closing table ("total", "getpid",
// "(process events)"): {records, lost}.
std::optional<std::pair<uint64_t, uint64_t>> closing_row(const std::string& capture_stderr, const std::string& name);

std::vector<std::string> lines_of(const std::string& text);
bool ends_with(const std::string& s, const std::string& suffix);
void write_file(const std::string& path, const std::string& bytes);

}  // namespace etrace::live
