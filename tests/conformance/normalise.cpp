#include "tests/conformance/normalise.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>

namespace etrace::conformance {

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Calls `edit` on each decimal number of `line` outside double-quoted
// strings and not part of a longer word ("0x7ffd1234", "SIGRT_1"); the
// number is replaced by what `edit` returns.
template <typename Edit>
std::string edit_numbers(const std::string& line, Edit edit) {
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < line.size();) {
    char c = line[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < line.size()) out += line[++i];
      else if (c == '"') in_string = false;
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      ++i;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) && (i == 0 || !is_word_char(line[i - 1]))) {
      size_t end = i;
      while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end]))) ++end;
      if (end == line.size() || !is_word_char(line[end])) {
        out += edit(line.substr(i, end - i));
        i = end;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)); }

// Numbers inside the braces of a call's arguments (the fields of the
// structures it filled in) become "N".
std::string blank_struct_numbers(const std::string& line) {
  const size_t result = line.rfind(") = ");
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < line.size();) {
    const char c = line[i];
    depth += (c == '{') - (c == '}');
    if (depth > 0 && i < result && is_digit(c) && (i == 0 || !is_word_char(line[i - 1]))) {
      while (i < line.size() && is_digit(line[i])) ++i;
      out += 'N';
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

// The end of the string argument starting at line[open] == '"', past a
// "..." that says it was cut; npos when it is not closed.
size_t string_end(const std::string& line, size_t open) {
  for (size_t i = open + 1; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
    } else if (line[i] == '"') {
      return line.compare(i + 1, 3, "...") == 0 ? i + 4 : i + 1;
    }
  }
  return std::string::npos;
}

std::string result_replaced(const std::string& line, const std::string& with) {
  size_t eq = line.rfind(") = ");
  return eq == std::string::npos ? line : line.substr(0, eq + 4) + with;
}

// A port the kernel picked (bind to port 0, a client's source port) is from
// the ephemeral range, different in every run; fixed ports are kept.
std::string ephemeral_ports_replaced(const std::string& line, const PortRange& ports) {
  if (line.find("htons(") == std::string::npos) return line;
  static const std::regex port(R"(htons\((\d+)\))");
  std::string out;
  auto begin = std::sregex_iterator(line.begin(), line.end(), port);
  size_t copied = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    long n = std::stol((*it)[1].str());
    if (n < ports.low || n > ports.high) continue;
    out += line.substr(copied, static_cast<size_t>(it->position()) - copied) + "htons(EPHEMERAL)";
    copied = static_cast<size_t>(it->position() + it->length());
  }
  return out + line.substr(copied);
}

}  // namespace

std::string normalise_volatile(const std::string& line, const PortRange& ports) {
  const std::string name = call_name(line);
  // The bytes getrandom returns are random by definition.
  if (name == "getrandom" && line.compare(name.size(), 2, "(\"") == 0) {
    size_t end = string_end(line, name.size() + 1);
    if (end != std::string::npos) return name + "(\"...\"" + line.substr(end);
  }
  // Clock readings and resource counters move between runs: the numbers
  // in the structures filled in, and time()'s result.
  if (name == "clock_gettime" || name == "gettimeofday" || name == "getrusage" || name == "sysinfo")
    return blank_struct_numbers(line);
  if (name == "time") return result_replaced(line, "N");
  // A file system's free blocks and inodes change as anything on the
  // machine writes to it; its size, block size and flags do not.
  if (name == "statfs" || name == "fstatfs") {
    static const std::regex free_counts(R"(\b(f_bfree|f_bavail|f_ffree)=\d+)");
    return std::regex_replace(line, free_counts, "$1=N");
  }
  // execve's envp points into the caller's stack, whose depth depends on
  // how much environment and auxv the tracer itself passed down when it
  // started the program: the address differs between strace's run and
  // etrace's, though the program and its environment do not. The count of
  // variables after it is kept.
  if (name == "execve" || name == "execveat") {
    static const std::regex envp(R"(, 0x[0-9a-f]+( /\* \d+\+? vars \*/))");
    return std::regex_replace(line, envp, ", ENVP$1", std::regex_constants::format_first_only);
  }
  // Netlink: sequence numbers (ip starts them at the time of day), the
  // port id the kernel picks for a process's second netlink socket (a
  // random negative one), and the inode and cookie of a socket a sock_diag
  // dump lists (a socket made during the run is a new one in each).
  if (line.find("nlmsg_") != std::string::npos || line.find("nl_pid=-") != std::string::npos) {
    static const std::regex numbers(R"((nlmsg_seq=|idiag_inode=|nl_pid=-|nlmsg_pid=-)\d+)");
    static const std::regex cookie(R"(idiag_cookie=\[\d+, \d+\])");
    return ephemeral_ports_replaced(
        std::regex_replace(std::regex_replace(line, numbers, "$1N"), cookie, "idiag_cookie=[N, N]"), ports);
  }
  return ephemeral_ports_replaced(line, ports);
}

namespace {

// A call's result when it is a whole positive number, as printed.
std::optional<std::string> positive_result(const std::string& line) {
  const size_t eq = line.rfind(") = ");
  if (eq == std::string::npos) return std::nullopt;
  std::string r = line.substr(eq + 4);
  if (r.empty() || r == "0" || !std::all_of(r.begin(), r.end(), is_digit)) return std::nullopt;
  return r;
}

// A new process's id: a child the other tracer may not trace
// (CLONE_UNTRACED) still ranks among the traced ids.
bool makes_process(const std::string& name) {
  return name == "clone" || name == "clone3" || name == "fork" || name == "vfork";
}

// Calls whose result is a key serial, which the kernel picks at random.
bool returns_key(const std::string& line) {
  const std::string name = call_name(line);
  if (name == "add_key" || name == "request_key") return true;
  if (name != "keyctl") return false;
  for (const char* command : {"(KEYCTL_GET_KEYRING_ID,", "(KEYCTL_SEARCH,", "(KEYCTL_JOIN_SESSION_KEYRING,"})
    if (line.starts_with(std::string("keyctl") + command)) return true;
  return false;
}

}  // namespace

NormalisedTrace normalise(const ThreadLines& trace, const PortRange& ports) {
  std::map<std::string, std::string> names;  // pid or key serial as printed -> "P<k>", "K<k>"
  std::set<long> ids;
  for (const auto& [tid, lines] : trace.threads) {
    ids.insert(tid);
    for (const auto& line : lines)
      if (auto child = positive_result(line); child && makes_process(call_name(line))) ids.insert(std::stol(*child));
  }
  size_t rank = 0;
  for (long id : ids) names[std::to_string(id)] = "P" + std::to_string(++rank);
  size_t keys = 0;
  for (const auto& [tid, lines] : trace.threads)
    for (const auto& line : lines) {
      if (call_name(line) == "getppid") {
        size_t eq = line.rfind(") = ");
        if (eq != std::string::npos) names.emplace(line.substr(eq + 4), "P0");
      }
      if (auto serial = positive_result(line); serial && returns_key(line) && !names.count(*serial))
        names.emplace(*serial, "K" + std::to_string(++keys));
    }

  NormalisedTrace out;
  for (const auto& [tid, lines] : trace.threads) {
    auto& normalised = out.threads.emplace_back();
    for (const auto& line : lines) {
      normalised.push_back(edit_numbers(normalise_volatile(line, ports), [&](const std::string& number) {
        auto it = names.find(number);
        return it == names.end() ? number : it->second;
      }));
    }
  }
  return out;
}

PortRange ephemeral_ports() {
  PortRange range;
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  long low = 0, high = 0;
  if (in >> low >> high) range = {low, high};
  return range;
}

}  // namespace etrace::conformance
