#include "tests/live/live_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

extern char** environ;

namespace etrace::live {

namespace {

using Clock = std::chrono::steady_clock;

int status_code(int wstatus) {
  if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) return 128 + WTERMSIG(wstatus);
  return -1;
}

// Waits for pid until the deadline; SIGKILLs it past the deadline.
void await(pid_t pid, Clock::time_point deadline, Outcome& o) {
  for (;;) {
    int wstatus = 0;
    pid_t r = waitpid(pid, &wstatus, WNOHANG);
    if (r == pid) {
      if (!o.timed_out) o.status = status_code(wstatus);
      return;
    }
    if (r < 0 && errno != EINTR) {
      o.status = -1;
      o.err += "[live test: waitpid failed: " + std::string(std::strerror(errno)) + "]";
      return;
    }
    if (Clock::now() >= deadline && !o.timed_out) {
      o.timed_out = true;
      o.status = -1;
      kill(pid, SIGKILL);
    }
    std::this_thread::sleep_for(5ms);
  }
}

// Where a spawned program's standard streams go: a path, or a descriptor to
// duplicate (-1: leave as in the test).
struct Stream {
  std::string path;
  int fd = -1;
  int flags = O_WRONLY | O_CREAT | O_TRUNC;
};

pid_t spawn(const std::vector<std::string>& argv, const Stream& in, const Stream& out, const Stream& err,
            std::string& error) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  const Stream* streams[] = {&in, &out, &err};
  for (int target = 0; target < 3; ++target) {
    const Stream& s = *streams[target];
    if (!s.path.empty())
      posix_spawn_file_actions_addopen(&fa, target, s.path.c_str(), target == 0 ? O_RDONLY : s.flags, 0600);
    else if (s.fd >= 0)
      posix_spawn_file_actions_adddup2(&fa, s.fd, target);
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    error = "cannot run " + argv[0] + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

std::string unique_name(const std::string& dir, const char* stem) {
  static int counter = 0;
  return dir + "/" + stem + "." + std::to_string(++counter);
}

}  // namespace

std::string Outcome::describe() const {
  std::string s = timed_out ? "timed out" : "exit " + std::to_string(status);
  if (!err.empty()) s += "; its stderr:\n" + err;
  return s;
}

Outcome run(const std::vector<std::string>& argv, const std::string& dir, std::chrono::milliseconds timeout) {
  Outcome o;
  const std::string out_path = unique_name(dir, "stdout"), err_path = unique_name(dir, "stderr");
  std::string error;
  pid_t pid = spawn(argv, Stream{"/dev/null"}, Stream{out_path}, Stream{err_path}, error);
  if (pid < 0) {
    o.err = error;
    return o;
  }
  await(pid, Clock::now() + timeout, o);
  o.out = read_file(out_path);
  o.err = read_file(err_path) + o.err;
  return o;
}

std::pair<Outcome, Outcome> run_pipeline(const std::vector<std::string>& producer,
                                         const std::vector<std::string>& consumer, const std::string& dir,
                                         std::chrono::milliseconds timeout) {
  Outcome p, c;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    p.err = c.err = std::string("pipe: ") + std::strerror(errno);
    return {p, c};
  }
  const std::string p_err = unique_name(dir, "stderr"), c_out = unique_name(dir, "stdout"),
                    c_err = unique_name(dir, "stderr");
  std::string error;
  pid_t ppid = spawn(producer, Stream{"/dev/null"}, Stream{"", fds[1]}, Stream{p_err}, error);
  pid_t cpid = ppid < 0 ? -1 : spawn(consumer, Stream{"", fds[0]}, Stream{c_out}, Stream{c_err}, error);
  close(fds[0]);
  close(fds[1]);
  const auto deadline = Clock::now() + timeout;
  if (ppid >= 0) await(ppid, deadline, p);
  if (cpid >= 0) await(cpid, deadline, c);
  p.err = read_file(p_err) + error;
  c.out = read_file(c_out);
  c.err = read_file(c_err);
  return {p, c};
}

std::optional<Background> Background::start(const std::vector<std::string>& argv, const std::string& dir,
                                            std::string& error, std::chrono::milliseconds ready_within) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return std::nullopt;
  }
  Background b;
  b.err_path_ = unique_name(dir, "stderr");
  b.pid_ = spawn(argv, Stream{"/dev/null"}, Stream{"", fds[1]}, Stream{b.err_path_}, error);
  close(fds[1]);
  b.out_fd_ = fds[0];
  if (b.pid_ < 0) return std::nullopt;

  const auto deadline = Clock::now() + ready_within;
  while (b.first_line_.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{b.out_fd_, POLLIN, 0};
    char buf[256];
    ssize_t n = 0;
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0 || (n = read(b.out_fd_, buf, sizeof(buf))) <= 0) {
      Outcome o = b.stop(SIGKILL);
      error = argv[0] + " did not print its first line within " + std::to_string(ready_within.count()) +
              " ms (" + o.describe() + ")";
      return std::nullopt;
    }
    b.first_line_.append(buf, static_cast<size_t>(n));
  }
  b.first_line_.resize(b.first_line_.find('\n'));
  return b;
}

std::optional<Background> Background::launch(const std::vector<std::string>& argv, const std::string& dir,
                                             std::string& error) {
  Background b;
  b.err_path_ = unique_name(dir, "stderr");
  b.pid_ = spawn(argv, Stream{"/dev/null"}, Stream{"/dev/null"}, Stream{b.err_path_}, error);
  if (b.pid_ < 0) return std::nullopt;
  return b;
}

Background::Background(Background&& other) noexcept
    : pid_(other.pid_), out_fd_(other.out_fd_), err_path_(std::move(other.err_path_)),
      first_line_(std::move(other.first_line_)) {
  other.pid_ = -1;
  other.out_fd_ = -1;
}

Background::~Background() {
  if (pid_ > 0) stop(SIGKILL);
  if (out_fd_ >= 0) close(out_fd_);
}

Outcome Background::stop(int sig, std::chrono::milliseconds timeout) {
  if (pid_ > 0) kill(pid_, sig);
  return wait(timeout);
}

Outcome Background::wait(std::chrono::milliseconds timeout) {
  Outcome o;
  if (pid_ <= 0) return o;
  await(pid_, Clock::now() + timeout, o);
  pid_ = -1;
  o.err = read_file(err_path_) + o.err;
  return o;
}

bool wait_for_nonempty(const std::string& path, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && st.st_size > 0) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

std::optional<std::string> tracing_unavailable() {
  static const std::optional<std::string> verdict = []() -> std::optional<std::string> {
    if (geteuid() != 0)
      return "not running as root (euid " + std::to_string(geteuid()) +
             "): etrace-capture loads BPF programs and needs root";
    TempDir dir("etrace-live");
    Outcome o = run({ETRACE_CAPTURE_BIN, "-q", "-o", dir.file("probe.raw"), "--", "/bin/true"}, dir.path());
    if (o.status == 0) return std::nullopt;
    // Only an environment that refuses BPF or tracefs is a reason to skip;
    // any other failure is etrace's, and the tests report it.
    for (const char* sign : {"BPF", "tracefs", "root", "CAP_BPF"})
      if (o.err.find(sign) != std::string::npos)
        return "etrace-capture cannot trace on this machine (" + o.describe() + ")";
    return std::nullopt;
  }();
  return verdict;
}

bool tracing_required() {
  const char* v = std::getenv("ETRACE_REQUIRE_BPF");
  return v && std::string(v) == "1";
}

std::vector<Json> parse_json_lines(const std::string& text, std::string& error) {
  std::vector<Json> out;
  std::map<int64_t, Json> contexts;
  size_t number = 0;
  for (const auto& line : lines_of(text)) {
    ++number;
    Json e;
    try {
      e = Json::parse(line);
    } catch (const Json::parse_error& x) {
      if (error.empty()) error = "line " + std::to_string(number) + " is not JSON (" + x.what() + "): " + line;
      continue;
    }
    if (!e.is_object() || !e.contains("ctx_id")) {
      out.push_back(std::move(e));
      continue;
    }
    const int64_t id = e["ctx_id"].get<int64_t>();
    if (e.value("kind", "") == "context") {
      e.erase("kind");
      e.erase("ctx_id");
      contexts[id] = std::move(e);
      continue;
    }
    auto context = contexts.find(id);
    if (context == contexts.end()) {
      if (error.empty()) error = "line " + std::to_string(number) + " names a context no line gave: " + line;
      continue;
    }
    e.erase("ctx_id");
    e["ctx"] = context->second;
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

constexpr size_t kValidatedSyscallLines = 50'000;

std::string sampled_for_validation(const std::string& json_lines) {
  std::string out;
  size_t syscalls = 0;
  std::istringstream in(json_lines);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(R"({"kind":"syscall")", 0) == 0 && ++syscalls > kValidatedSyscallLines) continue;
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string schema_problems(const std::string& json_lines, const std::string& schema, const std::string& dir,
                            bool one_type) {
  static int files = 0;
  const std::string lines = dir + "/validate-" + std::to_string(++files) + ".jsonl";
  write_file(lines, sampled_for_validation(json_lines));
  std::vector<std::string> argv{"/usr/bin/python3", ETRACE_JSON_VALIDATOR,
                                std::string(ETRACE_SCHEMA_DIR) + "/" + schema + ".schema.json", lines};
  if (one_type) argv.push_back("--one-type");
  const Outcome o = run(argv, dir, 300s);
  if (o.status == 0) {
    std::remove(lines.c_str());
    return "";
  }
  return lines + ": " + (o.out.empty() ? o.describe() : o.out);
}

std::optional<std::pair<uint64_t, uint64_t>> closing_row(const std::string& capture_stderr, const std::string& name) {
  // Rows are "NAME  RECORDS  LOST"; NAME may hold a space: "(process events)".
  for (const auto& line : lines_of(capture_stderr)) {
    if (line.rfind(name + " ", 0) != 0) continue;
    std::istringstream in(line.substr(name.size()));
    uint64_t records = 0, lost = 0;
    if (in >> records >> lost) return std::make_pair(records, lost);
  }
  return std::nullopt;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(line);
  return out;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace etrace::live
