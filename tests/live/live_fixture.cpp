#include "tests/live/live_fixture.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <iostream>

namespace etrace::live {

std::optional<int64_t> int_of(const Json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  // A 64-bit integer: its decimal digits (decode/JSON.md, Numbers).
  if (!it->is_string()) return std::nullopt;
  const std::string& digits = it->get_ref<const std::string&>();
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) return std::nullopt;
  return v;
}

std::optional<int64_t> arg_of(const Json& event, const char* name) {
  auto args = event.find("args");
  if (args == event.end() || !args->is_object()) return std::nullopt;
  auto arg = args->find(name);
  if (arg != args->end() && arg->is_object()) return int_of(*arg, "value");  // a symbolic value
  return int_of(*args, name);
}

std::string arg_text(const Json& event, const char* name) {
  auto args = event.find("args");
  if (args == event.end() || !args->is_object()) return {};
  auto arg = args->find(name);
  if (arg == args->end()) return {};
  if (arg->is_string()) return arg->get<std::string>();
  if (arg->is_object()) return str_of(*arg, "text");
  return {};
}

std::string str_of(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_null(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_null();
}

bool is_call(const Json& e, const std::string& syscall) {
  return str_of(e, "kind") == "syscall" && (syscall.empty() || str_of(e, "syscall") == syscall);
}

bool is_process(const Json& e, const std::string& event) {
  return str_of(e, "kind") == "process" && (event.empty() || str_of(e, "event") == event);
}

std::vector<Json> calls(const std::vector<Json>& events, const std::string& syscall, int64_t pid) {
  return select(events, [&](const Json& e) { return is_call(e, syscall) && (pid == 0 || int_of(e, "pid") == pid); });
}

int64_t pid_of_ready_line(const Background& b) {
  long pid = 0;
  return std::sscanf(b.first_line().c_str(), "ready %ld", &pid) == 1 ? pid : 0;
}

std::string summary(const std::vector<Json>& events, size_t max) {
  std::string s;
  for (size_t i = 0; i < events.size() && i < max; ++i) {
    const Json& e = events[i];
    s += "\n  " + e.dump();
  }
  if (events.size() > max) s += "\n  ... " + std::to_string(events.size() - max) + " more";
  return s;
}

void LiveTest::SetUp() {
  if (auto why = tracing_unavailable()) {
    if (tracing_required()) FAIL() << "ETRACE_REQUIRE_BPF=1, but " << *why;
    std::cerr << "*** etrace live test SKIPPED: " << *why << " ***\n";
    GTEST_SKIP() << "live tests need BPF: " << *why << " (ETRACE_REQUIRE_BPF=1 makes this a failure)";
  }
}

void LiveTest::TearDown() {
  if (HasFailure()) {
    dir_.keep();
    std::cerr << "the failed test's files are kept in " << dir_.path() << "\n";
  }
}

Outcome LiveTest::capture(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{kCapture};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, dir_.path(), timeout);
}

namespace {

// Which published schema the JSON that etrace-decode prints with these
// arguments follows; empty when it prints no JSON (or writes it elsewhere).
std::string schema_of(const std::vector<std::string>& args) {
  auto has = [&](const char* a) { return std::find(args.begin(), args.end(), a) != args.end(); };
  if (!has("--json") || has("-o") || has("--output")) return "";
  if (has("--files") || has("--conns") || has("--diff")) return "views";
  if (has("--info")) return "info";
  return has("--stats") ? "stats" : "events";
}

}  // namespace

// Every JSON line a live test has etrace-decode print is checked against
// the schema published for it.
Outcome LiveTest::decode(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{kDecode};
  argv.insert(argv.end(), args.begin(), args.end());
  Outcome o = run(argv, dir_.path(), timeout);
  if (const std::string schema = schema_of(args); !schema.empty() && !o.out.empty()) {
    EXPECT_EQ(schema_problems(o.out, schema, dir_.path()), "") << "etrace-decode's JSON breaks " << schema
                                                                << ".schema.json";
  }
  return o;
}

std::vector<Json> LiveTest::decode_json(const std::string& path) {
  Outcome o = decode({path, "--json"});
  EXPECT_EQ(o.status, 0) << "etrace-decode " << path << " --json: " << o.describe();
  EXPECT_EQ(o.err, "") << "etrace-decode warned about a capture that etrace-capture finished cleanly";
  std::string error;
  auto events = parse_json_lines(o.out, error);
  EXPECT_EQ(error, "");
  return events;
}

std::vector<Json> LiveTest::decode_json(const std::string& path, const std::vector<std::string>& filters) {
  std::vector<std::string> args{path, "--json"};
  args.insert(args.end(), filters.begin(), filters.end());
  Outcome o = decode(args);
  EXPECT_EQ(o.status, 0) << o.describe();
  std::string error;
  auto events = parse_json_lines(o.out, error);
  EXPECT_EQ(error, "");
  return events;
}

}  // namespace etrace::live
