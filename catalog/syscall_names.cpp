#include "catalog/syscall_names.h"

#include <algorithm>
#include <utility>

namespace etrace::catalog {

std::optional<uint32_t> find_syscall(const format::SyscallTable& table, const std::string& name) {
  for (const auto& [nr, n] : table.names)
    if (n == name) return nr;
  return std::nullopt;
}

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<std::string> closest_syscalls(const format::SyscallTable& table, const std::string& name, size_t count) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& [nr, n] : table.names) {
    // A known name that starts with what was typed is as good as a one-letter typo.
    size_t d = n.rfind(name, 0) == 0 ? 1 : edit_distance(name, n);
    scored.emplace_back(d, n);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, n] : scored) {
    if (out.size() == count || d > std::max<size_t>(2, name.size() / 2)) break;
    out.push_back(n);
  }
  return out;
}

std::string tracepoint_event(const std::string& name) {
  static constexpr std::pair<const char*, const char*> kAliases[] = {
      {"stat", "newstat"},   {"fstat", "newfstat"},      {"lstat", "newlstat"},
      {"uname", "newuname"}, {"sendfile", "sendfile64"}, {"umount2", "umount"},
  };
  for (const auto& [syscall, event] : kAliases)
    if (name == syscall) return event;
  return name;
}

std::string unknown_syscall_message(const format::SyscallTable& table, const std::string& name) {
  std::string msg = "unknown syscall '" + name + "'";
  auto close = closest_syscalls(table, name);
  if (!close.empty()) {
    msg += " (closest: ";
    for (size_t i = 0; i < close.size(); ++i) msg += (i ? ", " : "") + close[i];
    msg += ")";
  }
  return msg;
}

}  // namespace etrace::catalog
