#include "catalog/syscall_selection.h"

#include <map>
#include <set>

#include "catalog/syscall_names.h"

namespace etrace::catalog {

namespace {

std::optional<uint32_t> class_bits(const std::string& name) {
  for (const auto& [known, bits] : trace_class_names())
    if (known == name) return bits;
  return std::nullopt;
}

// The numbers one term (without its '!') names.
Result<std::set<uint32_t>> members(const format::SyscallTable& table, const std::vector<SyscallSemantics>& semantics,
                                   const std::string& term) {
  std::set<uint32_t> out;
  if (term.empty()) return Error{"empty syscall name"};
  if (term[0] != '%') {
    auto nr = find_syscall(table, term);
    if (!nr) return Error{unknown_syscall_message(table, term)};
    out.insert(*nr);
    return out;
  }
  auto bits = class_bits(term.substr(1));
  if (!bits) return Error{"unknown syscall class '" + term + "' (known: " + known_class_list() + ")"};
  std::map<std::string_view, uint32_t> classes_by_name;
  for (const auto& s : semantics) classes_by_name.emplace(s.name, s.classes);
  for (const auto& [nr, name] : table.names) {
    auto it = classes_by_name.find(name);
    if (it != classes_by_name.end() && (it->second & *bits)) out.insert(nr);
  }
  return out;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

std::string known_class_list() {
  std::string out;
  for (const auto& [name, bits] : trace_class_names()) out += (out.empty() ? "%" : ", %") + std::string(name);
  return out;
}

Result<std::vector<uint32_t>> select_syscalls(const format::SyscallTable& table,
                                              const std::vector<SyscallSemantics>& semantics,
                                              const std::vector<std::string>& terms) {
  std::set<uint32_t> included, excluded;
  bool any_included = false;
  for (const auto& argument : terms) {
    for (const auto& item : split_commas(argument)) {
      const bool exclude = !item.empty() && item[0] == '!';
      auto nrs = members(table, semantics, exclude ? item.substr(1) : item);
      if (!nrs) return Error{nrs.error().message + (argument != item ? " in '" + argument + "'" : "")};
      (exclude ? excluded : included).insert(nrs->begin(), nrs->end());
      any_included |= !exclude;
    }
  }
  if (!any_included)
    for (const auto& [nr, name] : table.names) included.insert(nr);
  std::vector<uint32_t> out;
  for (uint32_t nr : included)
    if (!excluded.count(nr)) out.push_back(nr);
  if (out.empty()) {
    std::string all;
    for (const auto& t : terms) all += (all.empty() ? "" : " ") + t;
    return Error{"'" + all + "' selects no syscall"};
  }
  return out;
}

}  // namespace etrace::catalog
