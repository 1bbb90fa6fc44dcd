#include "catalog/syscall_commands.h"

#include <map>
#include <sstream>

namespace etrace::catalog {

// syscall_commands_table.cpp
extern const SelectorLine kCommandSelectors[];
extern const size_t kCommandSelectorCount;
extern const CommandLine kCommandLines[];
extern const size_t kCommandLineCount;

namespace {

// "argN.MEMBER=KIND": memory a member of argument N's struct points at.
Result<NestedCopy> parse_nested(const std::string& token) {
  const size_t dot = token.find('.'), eq = token.find('=');
  if (token.size() < 6 || dot != 4 || eq == std::string::npos || eq < dot + 2 || token[3] < '0' || token[3] > '5')
    return Error{"'" + token + "' is not argN.MEMBER=KIND"};
  auto what = parse_argument(token.substr(eq + 1));
  if (!what) return what.error();
  return NestedCopy{static_cast<uint8_t>(token[3] - '0'), token.substr(dot + 1, eq - dot - 1), *what};
}

Result<CommandSemantics> parse_command(const CommandLine& line) {
  CommandSemantics c;
  c.syscall = line.syscall;
  c.name = line.name;
  c.value = line.value;
  std::istringstream words{std::string(line.text)};
  std::vector<std::string> w;
  for (std::string t; words >> t;) w.push_back(t);
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] == "->") {
      auto result = i + 2 == w.size() ? parse_argument(w[i + 1]) : Result<ArgSemantics>(Error{"'->' takes one word"});
      if (!result) return result.error();
      if (result->kind != ArgKind::kEnum && result->kind != ArgKind::kFlags)
        return Error{"a result is enum:SET or flags:SET"};
      c.result = *result;
      break;
    }
    if (w[i].starts_with("arg")) {
      auto nested = parse_nested(w[i]);
      if (!nested) return nested.error();
      if (!c.shown(nested->arg)) return Error{"'" + w[i] + "' names an argument not shown"};
      c.nested.push_back(std::move(*nested));
      continue;
    }
    if (!c.nested.empty()) return Error{"arguments come before nested copies"};
    if (c.args.size() == 6) return Error{"more than six arguments"};
    if (w[i] == "-") {
      c.hidden |= 1u << c.args.size();
      c.args.emplace_back();
      continue;
    }
    auto a = parse_argument(w[i]);
    if (!a) return a.error();
    c.args.push_back(std::move(*a));
  }
  return c;
}

const std::vector<CommandSemantics>& all_commands() {
  static const std::vector<CommandSemantics> table = [] {
    std::vector<CommandParseError> errors;
    // The table is part of the program; a unit test keeps it free of errors.
    return parse_commands({kCommandLines, kCommandLines + kCommandLineCount}, errors);
  }();
  return table;
}

}  // namespace

std::vector<CommandSemantics> parse_commands(const std::vector<CommandLine>& lines,
                                             std::vector<CommandParseError>& errors) {
  std::vector<CommandSemantics> out;
  for (const auto& line : lines) {
    auto c = parse_command(line);
    if (c)
      out.push_back(std::move(*c));
    else
      errors.push_back({std::string(line.syscall) + " " + line.name, c.error().message});
  }
  return out;
}

const CommandSelector* command_selector(std::string_view syscall) {
  static const std::map<std::string, CommandSelector, std::less<>> selectors = [] {
    std::map<std::string, CommandSelector, std::less<>> m;
    for (size_t i = 0; i < kCommandSelectorCount; ++i) {
      const SelectorLine& s = kCommandSelectors[i];
      m[s.syscall] = CommandSelector{s.syscall, s.arg, s.mask};
    }
    return m;
  }();
  auto it = selectors.find(syscall);
  return it == selectors.end() ? nullptr : &it->second;
}

const CommandSemantics* find_command(std::string_view syscall, const std::array<uint64_t, 6>& regs) {
  static const std::map<std::pair<std::string, uint32_t>, const CommandSemantics*> index = [] {
    std::map<std::pair<std::string, uint32_t>, const CommandSemantics*> m;
    for (const auto& c : all_commands()) m.emplace(std::pair{c.syscall, c.value}, &c);
    return m;
  }();
  const CommandSelector* selector = command_selector(syscall);
  if (!selector) return nullptr;
  const uint32_t value = static_cast<uint32_t>(regs[selector->arg % 6]) & selector->mask;
  auto it = index.find({std::string(syscall), value});
  return it == index.end() ? nullptr : it->second;
}

std::vector<const CommandSemantics*> commands_of(std::string_view syscall) {
  std::vector<const CommandSemantics*> out;
  for (const auto& c : all_commands())
    if (c.syscall == syscall) out.push_back(&c);
  return out;
}

}  // namespace etrace::catalog
