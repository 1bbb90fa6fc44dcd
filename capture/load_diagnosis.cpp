#include "capture/load_diagnosis.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <sstream>

namespace etrace::capture {

namespace {

// libbpf prints through one global callback: loading happens on one thread.
std::string g_messages;
bool g_echo = false;
libbpf_print_fn_t g_previous = nullptr;

int collect(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  va_list copy;
  va_copy(copy, args);
  char line[4096];
  std::vsnprintf(line, sizeof(line), format, copy);
  va_end(copy);
  g_messages += line;
  return g_echo ? std::vfprintf(stderr, format, args) : 0;
}

// A verifier log is big enough for the tail of a failed load to hold its
// last words: kernels since 6.4 keep the end of a log that overflows.
constexpr size_t kLogBytes = 1 << 20;

bool is_statistics_line(const std::string& line) {
  for (const char* prefix : {"processed ", "verification time", "stack depth", "mark_read", "max_states_per_insn"})
    if (line.rfind(prefix, 0) == 0) return true;
  return false;
}

// The last line of a verifier log that says something (not a statistic).
std::string last_words(const std::string& log) {
  std::istringstream in(log);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty() && !is_statistics_line(line)) last = line;
  return last;
}

// What kind of refusal the verifier's last words (or the error) are.
std::string kind_of_refusal(int err, const std::string& words) {
  if (err == -E2BIG || words.find("program is too large") != std::string::npos)
    return "it reached the verifier's limit of 1,000,000 processed instructions";
  if (words.find("unknown func") != std::string::npos) return "this kernel does not have that helper";
  if (words.find("cannot use helper") != std::string::npos || words.find("helper call is not allowed") != std::string::npos)
    return "this kernel does not let these programs call that helper";
  if (words.find("kernel function") != std::string::npos || words.find("kfunc") != std::string::npos)
    return "this kernel does not have that kernel function (kfunc)";
  if (words.find("CO-RE relocation") != std::string::npos)
    return "this kernel lacks a type or field that etrace reads";
  return "";
}

std::string first_match(const std::string& text, const std::regex& pattern, size_t group) {
  std::smatch m;
  if (!std::regex_search(text, m, pattern)) return "";
  return m[group].str();
}

}  // namespace

LibbpfMessages::LibbpfMessages(bool echo) {
  g_messages.clear();
  g_echo = echo;
  g_previous = libbpf_set_print(collect);
}

LibbpfMessages::~LibbpfMessages() { libbpf_set_print(g_previous); }

const std::string& LibbpfMessages::text() const { return g_messages; }

ProgramLogs::ProgramLogs(struct bpf_object* obj, unsigned log_level) : obj_(obj) {
  struct bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    // calloc: pages the kernel never writes are never touched.
    Log log{bpf_program__name(prog), Buffer(static_cast<char*>(std::calloc(kLogBytes, 1)), std::free)};
    if (!log.text) continue;
    bpf_program__set_log_buf(prog, log.text.get(), kLogBytes);
    if (log_level) bpf_program__set_log_level(prog, log_level);
    logs_.push_back(std::move(log));
  }
}

std::string ProgramLogs::of(const std::string& name) const {
  for (const auto& log : logs_)
    if (log.program == name) return std::string(log.text.get(), strnlen(log.text.get(), kLogBytes));
  return "";
}

std::string ProgramLogs::map_type(const std::string& name) const {
  const struct bpf_map* map = bpf_object__find_map_by_name(obj_, name.c_str());
  const char* type = map ? libbpf_bpf_map_type_str(bpf_map__type(map)) : nullptr;
  return type ? type : "unknown";
}

std::string refused_map(const std::string& messages) {
  static const std::regex map_failed(R"(map '([^']+)': failed to create)");
  return first_match(messages, map_failed, 1);
}

std::string refused_program(const std::string& messages) {
  static const std::regex prog_failed(R"(prog '([^']+)': BPF program load failed)");
  return first_match(messages, prog_failed, 1);
}

std::string describe_refusal(int err, const std::string& messages, const std::string& program_log,
                             const std::string& map_type) {
  const std::string code = std::strerror(err < 0 ? -err : err);
  static const std::regex map_error(R"(map '[^']+': failed to create: ([^\n]*))");
  static const std::regex kfunc_missing(R"(extern \(func ksym\) '([^']+)': not found)");
  if (auto map = refused_map(messages); !map.empty())
    return "the kernel refused to create BPF map '" + map + "' of type " + map_type + " (" +
           first_match(messages, map_error, 1) + ")";
  if (auto kfunc = first_match(messages, kfunc_missing, 1); !kfunc.empty())
    return "this kernel does not have the kernel function (kfunc) " + kfunc + " that the BPF programs call";
  const std::string prog = refused_program(messages);
  if (prog.empty()) return "cannot load the BPF programs into the kernel: " + code;
  const std::string words = last_words(program_log);
  const std::string kind = kind_of_refusal(err, words);
  std::string out = "the kernel's verifier refused BPF program " + prog + " (" + code + ")";
  if (!words.empty()) out += ", saying \"" + words + "\"";
  if (!kind.empty()) out += ": " + kind;
  return out;
}

std::string explain_load_failure(int err, const std::string& messages, const ProgramLogs& logs) {
  return describe_refusal(err, messages, logs.of(refused_program(messages)), logs.map_type(refused_map(messages)));
}

VerifierStats verifier_stats(const std::string& log) {
  VerifierStats s;
  static const std::regex insns(R"(processed (\d+) insns)");
  static const std::regex usec(R"(verification time (\d+) usec)");
  if (auto n = first_match(log, insns, 1); !n.empty()) s.insns = std::stoll(n);
  if (auto n = first_match(log, usec, 1); !n.empty()) s.usec = std::stoll(n);
  return s;
}

}  // namespace etrace::capture
