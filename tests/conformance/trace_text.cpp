#include "tests/conformance/trace_text.h"

#include <cctype>
#include <sstream>

namespace etrace::conformance {

namespace {

constexpr std::string_view kUnfinished = " <unfinished ...>";
constexpr std::string_view kResumedOpen = "<... ";
constexpr std::string_view kResumedClose = " resumed>";
constexpr std::string_view kSignalOpen = "--- ";

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Takes the pid prefix off `line`: "1234  rest" (strace -f -o) or
// "[pid 1234] rest" (etrace-decode, strace on a terminal).
long take_pid_prefix(std::string_view& line, long unprefixed_tid) {
  size_t digits = 0;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  if (digits > 0 && digits < line.size() && line[digits] == ' ') {
    long pid = std::stol(std::string(line.substr(0, digits)));
    size_t rest = line.find_first_not_of(' ', digits);
    line.remove_prefix(rest == std::string_view::npos ? line.size() : rest);
    return pid;
  }
  if (starts_with(line, "[pid ")) {
    size_t close = line.find("] ");
    if (close != std::string_view::npos) {
      long pid = std::stol(std::string(line.substr(5, close - 5)));
      line.remove_prefix(close + 2);
      return pid;
    }
  }
  return unprefixed_tid;
}

// strace pads a short call to column 40 before " = "; the padding is not
// part of the call. The last " = " is the one before the result.
std::string collapse_result_padding(std::string line) {
  size_t eq = line.rfind(" = ");
  if (eq == std::string::npos) return line;
  size_t before = line.find_last_not_of(' ', eq);
  if (before != std::string::npos) line.erase(before + 1, eq - before - 1);
  return line;
}

}  // namespace

std::string call_name(const std::string& line) {
  std::string_view s(line);
  if (starts_with(s, kSignalOpen)) return std::string(s.substr(0, s.find(" {")));
  if (starts_with(s, kResumedOpen)) {
    s.remove_prefix(kResumedOpen.size());
    return std::string(s.substr(0, s.find(kResumedClose)));
  }
  return std::string(s.substr(0, s.find('(')));
}

ThreadLines split_by_thread(const std::string& text, long unprefixed_tid) {
  ThreadLines out;
  std::map<long, std::string> pending;  // a call's first half, awaiting its resumption
  std::istringstream in(text);
  std::string raw;
  while (std::getline(in, raw)) {
    std::string_view line(raw);
    long tid = take_pid_prefix(line, unprefixed_tid);
    if (line.empty() || starts_with(line, "+++ ")) continue;
    auto& lines = out.threads[tid];
    if (ends_with(line, kUnfinished)) {
      line.remove_suffix(kUnfinished.size());
      pending[tid] = std::string(line);
      continue;
    }
    std::string whole(line);
    if (starts_with(line, kResumedOpen)) {
      size_t close = line.find(kResumedClose);
      auto it = pending.find(tid);
      if (close != std::string_view::npos && it != pending.end()) {
        std::string name(line.substr(kResumedOpen.size(), close - kResumedOpen.size()));
        if (call_name(it->second) == name) {
          whole = it->second + std::string(line.substr(close + kResumedClose.size()));
          pending.erase(it);
        }
      }
    }
    lines.push_back(collapse_result_padding(whole));
  }
  for (auto& [tid, first_half] : pending) out.threads[tid].push_back(first_half + std::string(kUnfinished));
  return out;
}

}  // namespace etrace::conformance
