#include "common/command_line.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>

namespace etrace {

namespace {

void append_list(const std::string& list, std::vector<std::string>& into) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) into.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
}

}  // namespace

Result<void> parse_qualifier(const std::string& expr, Qualifiers& into) {
  const size_t eq = expr.find('=');
  const std::string name = eq == std::string::npos ? "trace" : expr.substr(0, eq);
  const std::string set = eq == std::string::npos ? expr : expr.substr(eq + 1);
  std::vector<std::string>* field = name == "trace" ? &into.trace : name == "status" ? &into.status : nullptr;
  if (!field) return Error{"-e " + expr + ": etrace knows the qualifiers trace= and status=, not " + name + "="};
  if (set.empty()) return Error{"-e " + expr + ": the set after " + name + "= is empty"};
  append_list(set, *field);
  return {};
}

Result<double> parse_duration(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const double n = std::strtod(text.c_str(), &end);
  const std::string unit = end ? end : "";
  const double scale = unit.empty() || unit == "s" ? 1 : unit == "ms" ? 1e-3 : unit == "m" ? 60 : unit == "h" ? 3600 : 0;
  if (text.empty() || end == text.c_str() || errno == ERANGE || scale == 0 || !std::isfinite(n) || n <= 0)
    return Error{"a duration is a positive number of seconds, or one with a unit: 500ms, 5s, 2m, 1h (got '" + text +
                 "')"};
  return n * scale;
}

int say_parse_error(const CLI::App& app, const CLI::ParseError& e, const std::string& extras_hint) {
  if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
  std::string what = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e) && !extras_hint.empty()) what += "; " + extras_hint;
  std::cerr << app.get_name() << ": " << what << " (see " << app.get_name() << " --help)\n";
  return kUsageError;
}

std::string version_line(const std::string& program, int format_major, int format_minor) {
  return program + " " ETRACE_VERSION ", capture file format " + std::to_string(format_major) + "." +
         std::to_string(format_minor);
}

}  // namespace etrace
