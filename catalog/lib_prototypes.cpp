#include "catalog/lib_prototypes.h"

#include <cctype>
#include <utility>

namespace etrace::catalog {

// The text of catalog/libc_prototypes.txt, generated at build time.
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

// A type, with its "out" prefix, and a buffer's length by name (what
// follows "buf[").
struct ParsedType {
  LibParam param;
  std::string length_name;
};

Result<ParsedType> parse_type(std::string_view text) {
  ParsedType t;
  if (text.substr(0, 4) == "out " || text.substr(0, 4) == "out\t") {
    t.param.out = true;
    text = trim(text.substr(4));
  }
  if (text.substr(0, 4) == "buf[" && text.back() == ']') {
    t.param.type = LibType::kBuffer;
    t.length_name = trim(text.substr(4, text.size() - 5));
    if (t.length_name == "ret") t.param.length_ret = true;
    else if (!is_identifier(t.length_name)) return Error{"a buffer's length must name an argument or be ret"};
    return t;
  }
  for (const auto& known : kTypes)
    if (known.name == text) {
      t.param.type = known.type;
      return t;
    }
  return Error{"unknown type '" + std::string(text) + "'"};
}

// One argument: a type alone ("string", "out buf[n]"), or a type and a name.
Result<ParsedType> parse_param(std::string_view part) {
  auto t = parse_type(part);
  if (!t) {
    auto [type, param_name] = type_and_name(part);
    if (!is_identifier(param_name)) return Error{"bad argument '" + std::string(part) + "'"};
    t = parse_type(type);
    if (!t) return t;
    t->param.name = param_name;
  }
  const LibParam& p = t->param;
  if (p.type == LibType::kVoid) return Error{"an argument cannot be void"};
  if (p.out && p.type != LibType::kString && p.type != LibType::kBuffer)
    return Error{"only strings and buffers can be outputs"};
  return t;
}

// Binds each buffer to the argument its length names.
Result<void> bind_lengths(LibPrototype& proto, const std::vector<std::string>& lengths) {
  for (size_t i = 0; i < proto.params.size(); ++i) {
    LibParam& p = proto.params[i];
    if (p.type != LibType::kBuffer || p.length_ret) continue;
    for (size_t j = 0; j < proto.params.size(); ++j)
      if (proto.params[j].name == lengths[i]) p.length_arg = static_cast<uint8_t>(j);
    if (!p.length_arg) return Error{"buffer length '" + lengths[i] + "' names no argument"};
  }
  return {};
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

Result<LibPrototype> parse_prototype(std::string_view line) {
  line = trim(line);
  const size_t open = line.find('(');
  if (open == std::string_view::npos || line.back() != ')') return Error{"not a declaration 'TYPE NAME(ARGUMENTS)'"};
  LibPrototype proto;
  auto [ret_type, name] = type_and_name(line.substr(0, open));
  if (!is_identifier(name)) return Error{"no function name"};
  proto.name = name;
  auto ret = parse_type(ret_type);
  if (!ret) return ret.error();
  proto.ret = ret->param;
  if (proto.ret.type == LibType::kBuffer || proto.ret.out) return Error{"a return value is not a buffer or an output"};
  std::vector<std::string> lengths;
  std::string_view rest = trim(line.substr(open + 1, line.size() - open - 2));
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view part = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : trim(rest.substr(comma + 1));
    if (part == "...") {
      proto.variadic = true;
      if (!rest.empty()) return Error{"'...' must come last"};
      break;
    }
    auto param = parse_param(part);
    if (!param) return param.error();
    lengths.push_back(param->param.length_ret ? "" : param->length_name);
    proto.params.push_back(std::move(param->param));
  }
  if (proto.params.size() > kMaxParams) return Error{"more than six arguments"};
  if (auto bound = bind_lengths(proto, lengths); !bound) return bound.error();
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
    if (auto p = parse_prototype(line)) out[p->name] = std::move(*p);
    else errors.push_back("line " + std::to_string(number) + ": " + p.error().message);
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

}  // namespace etrace::catalog
