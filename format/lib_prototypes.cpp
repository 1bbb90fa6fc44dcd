#include "format/lib_prototypes.h"

#include <cctype>
#include <utility>

namespace etrace::format {

// The text of format/libc_prototypes.txt, generated at build time.
extern const char kBuiltinPrototypes[];

namespace {

constexpr size_t kMaxParams = 6;

struct TypeName {
  std::string_view name;
  LibType type;
};
// The spellings the grammar accepts; the first of each type is how text() writes it.
constexpr TypeName kTypes[] = {
    {"void", LibType::kVoid},    {"int", LibType::kInt},       {"pid_t", LibType::kInt},
    {"uint", LibType::kUint},    {"mode_t", LibType::kUint},   {"long", LibType::kLong},
    {"ssize_t", LibType::kLong}, {"off_t", LibType::kLong},    {"ulong", LibType::kUlong},
    {"size_t", LibType::kUlong}, {"char", LibType::kChar},     {"hex", LibType::kHex},
    {"ptr", LibType::kPointer},  {"string", LibType::kString},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_identifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

// Splits "TYPE NAME" at its last space; either part may be empty.
std::pair<std::string_view, std::string_view> type_and_name(std::string_view s) {
  s = trim(s);
  const size_t space = s.find_last_of(" \t");
  if (space == std::string_view::npos) return {s, {}};
  return {trim(s.substr(0, space)), trim(s.substr(space + 1))};
}

// A type, with its "out" prefix and a buffer's length still by name.
bool parse_type(std::string_view text, LibParam& p, std::string& length_name, std::string& error) {
  if (text.substr(0, 4) == "out " || text.substr(0, 4) == "out\t") {
    p.out = true;
    text = trim(text.substr(4));
  }
  if (text.substr(0, 4) == "buf[" && text.back() == ']') {
    p.type = LibType::kBuffer;
    length_name = trim(text.substr(4, text.size() - 5));
    if (length_name == "ret") p.length_ret = true;
    else if (!is_identifier(length_name)) return error = "a buffer's length must name an argument or be ret", false;
    return true;
  }
  for (const auto& t : kTypes)
    if (t.name == text) {
      p.type = t.type;
      return true;
    }
  error = "unknown type '" + std::string(text) + "'";
  return false;
}

std::string_view type_text(LibType type) {
  for (const auto& t : kTypes)
    if (t.type == type) return t.name;
  return "buf";
}

std::string param_text(const LibPrototype& proto, const LibParam& p) {
  std::string s = p.out ? "out " : "";
  if (p.type == LibType::kBuffer)
    s += "buf[" + (p.length_ret ? std::string("ret") : proto.params.at(*p.length_arg).name) + "]";
  else
    s += type_text(p.type);
  if (!p.name.empty()) s += " " + p.name;
  return s;
}

}  // namespace

std::string LibPrototype::text() const {
  std::string s = param_text(*this, ret) + " " + name + "(";
  for (size_t i = 0; i < params.size(); ++i) s += (i ? ", " : "") + param_text(*this, params[i]);
  if (variadic) s += params.empty() ? "..." : ", ...";
  return s + ")";
}

std::optional<LibPrototype> parse_prototype(std::string_view line, std::string& error) {
  line = trim(line);
  const size_t open = line.find('(');
  if (open == std::string_view::npos || line.back() != ')') {
    error = "not a declaration 'TYPE NAME(ARGUMENTS)'";
    return std::nullopt;
  }
  LibPrototype proto;
  auto [ret_type, name] = type_and_name(line.substr(0, open));
  std::string length_name;
  if (!is_identifier(name)) {
    error = "no function name";
    return std::nullopt;
  }
  proto.name = name;
  if (!parse_type(ret_type, proto.ret, length_name, error)) return std::nullopt;
  if (proto.ret.type == LibType::kBuffer || proto.ret.out) {
    error = "a return value is not a buffer or an output";
    return std::nullopt;
  }
  std::vector<std::string> lengths;
  std::string_view rest = trim(line.substr(open + 1, line.size() - open - 2));
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view part = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : trim(rest.substr(comma + 1));
    if (part == "...") {
      proto.variadic = true;
      if (!rest.empty()) return error = "'...' must come last", std::nullopt;
      break;
    }
    LibParam p;
    length_name.clear();
    // A type alone ("string", "out buf[n]"), or a type and a name.
    if (std::string ignored; !parse_type(part, p, length_name, ignored)) {
      auto [type, param_name] = type_and_name(part);
      p = LibParam{};
      if (!is_identifier(param_name)) return error = "bad argument '" + std::string(part) + "'", std::nullopt;
      if (!parse_type(type, p, length_name, error)) return std::nullopt;
      p.name = param_name;
    }
    if (p.type == LibType::kVoid) return error = "an argument cannot be void", std::nullopt;
    if (p.out && p.type != LibType::kString && p.type != LibType::kBuffer)
      return error = "only strings and buffers can be outputs", std::nullopt;
    lengths.push_back(p.length_ret ? "" : length_name);
    proto.params.push_back(std::move(p));
  }
  if (proto.params.size() > kMaxParams) return error = "more than six arguments", std::nullopt;
  for (size_t i = 0; i < proto.params.size(); ++i) {
    LibParam& p = proto.params[i];
    if (p.type != LibType::kBuffer || p.length_ret) continue;
    for (size_t j = 0; j < proto.params.size(); ++j)
      if (proto.params[j].name == lengths[i]) p.length_arg = static_cast<uint8_t>(j);
    if (!p.length_arg) return error = "buffer length '" + lengths[i] + "' names no argument", std::nullopt;
  }
  return proto;
}

std::map<std::string, LibPrototype> parse_prototypes(std::string_view text, std::vector<std::string>& errors) {
  std::map<std::string, LibPrototype> out;
  size_t number = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::string error;
    if (auto p = parse_prototype(line, error)) out[p->name] = std::move(*p);
    else errors.push_back("line " + std::to_string(number) + ": " + error);
  }
  return out;
}

std::string_view builtin_prototypes_text() { return kBuiltinPrototypes; }

const std::map<std::string, LibPrototype>& builtin_prototypes() {
  // The built-in file is checked by a unit test: errors cannot happen here.
  static const std::map<std::string, LibPrototype> table = [] {
    std::vector<std::string> errors;
    return parse_prototypes(kBuiltinPrototypes, errors);
  }();
  return table;
}

}  // namespace etrace::format
