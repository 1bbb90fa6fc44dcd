#include "decode/input/tracepoint_format.h"

#include <charconv>
#include <sstream>

namespace etrace::decode {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::optional<uint32_t> to_u32(std::string_view s) {
  s = trim(s);
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Splits "const char * filename" / "char comm[16]" / "__data_loc char[] name"
// into type, name and array shape.
Result<void> parse_declaration(std::string_view decl, FieldFormat& f) {
  decl = trim(decl);
  for (auto [prefix, flag] : {std::pair{"__data_loc ", &f.data_loc}, std::pair{"__rel_loc ", &f.rel_loc}}) {
    if (starts_with(decl, prefix)) {
      *flag = true;
      decl = trim(decl.substr(std::string_view(prefix).size()));
    }
  }
  // Array suffix after the name: "prev_comm[16]".
  std::string_view suffix;
  if (!decl.empty() && decl.back() == ']') {
    size_t open = decl.rfind('[');
    if (open == std::string_view::npos) return Error{"unbalanced brackets"};
    suffix = decl.substr(open + 1, decl.size() - open - 2);
    decl = trim(decl.substr(0, open));
    f.is_array = true;
    if (!trim(suffix).empty()) {
      f.array_len = to_u32(suffix);
      // Some kernels size arrays with expressions (TASK_COMM_LEN); keep the
      // declared size, which is authoritative, and leave the length unknown.
    }
  }
  size_t end = decl.size();
  size_t start = end;
  while (start > 0 && is_ident_char(decl[start - 1])) --start;
  if (start == end) return Error{"no field name"};
  f.name = std::string(decl.substr(start));
  std::string_view type = trim(decl.substr(0, start));
  // `__data_loc char[] filename`: the brackets belong to the type.
  if (type.size() >= 2 && type.substr(type.size() - 2) == "[]") {
    f.is_array = true;
    type = trim(type.substr(0, type.size() - 2));
  }
  if (type.empty()) return Error{"no type before the field name"};
  f.type = std::string(type);
  return {};
}

// "field:int dfd;\toffset:16;\tsize:8;\tsigned:0;"
Result<FieldFormat> parse_field_line(std::string_view line) {
  FieldFormat f;
  bool have_offset = false, have_size = false;
  while (!line.empty()) {
    size_t semi = line.find(';');
    std::string_view item = trim(line.substr(0, semi));
    line = semi == std::string_view::npos ? std::string_view() : line.substr(semi + 1);
    if (item.empty()) continue;
    size_t colon = item.find(':');
    if (colon == std::string_view::npos) return Error{"an attribute without a colon"};
    std::string_view key = trim(item.substr(0, colon));
    std::string_view value = item.substr(colon + 1);
    if (key == "field") {
      if (auto declared = parse_declaration(value, f); !declared) return declared.error();
    } else if (key == "offset" || key == "size" || key == "signed") {
      auto n = to_u32(value);
      if (!n) return Error{"a non-numeric " + std::string(key)};
      if (key == "offset") f.offset = *n, have_offset = true;
      if (key == "size") f.size = *n, have_size = true;
      if (key == "signed") f.is_signed = *n != 0;
    }
    // Attributes newer kernels may add are ignored.
  }
  if (f.name.empty()) return Error{"no field declaration"};
  if (!have_offset || !have_size) return Error{"no offset or size"};
  return f;
}

}  // namespace

const FieldFormat* TracepointFormat::field(std::string_view wanted) const {
  for (const auto* list : {&fields, &common_fields})
    for (const auto& f : *list)
      if (f.name == wanted) return &f;
  return nullptr;
}

Result<TracepointFormat> parse_tracepoint_format(std::istream& in) {
  TracepointFormat tf;
  bool have_name = false;
  std::string raw;
  for (int lineno = 1; std::getline(in, raw); ++lineno) {
    std::string_view line = trim(raw);
    if (starts_with(line, "name:")) {
      tf.name = std::string(trim(line.substr(5)));
      have_name = true;
    } else if (starts_with(line, "ID:")) {
      auto id = to_u32(line.substr(3));
      if (!id) return Error{"line " + std::to_string(lineno) + " has an ID that is not a number"};
      tf.id = *id;
    } else if (starts_with(line, "field:")) {
      auto f = parse_field_line(line);
      if (!f) return Error{"line " + std::to_string(lineno) + " is not a valid field (" + f.error().message + ")"};
      (starts_with(f->name, "common_") ? tf.common_fields : tf.fields).push_back(std::move(*f));
    } else if (starts_with(line, "print fmt:")) {
      tf.print_fmt = std::string(trim(line.substr(10)));
    }
    // "format:" and blank lines carry nothing.
  }
  if (!have_name || tf.name.empty()) return Error{"not a tracefs format file (it has no \"name:\" line)"};
  return tf;
}

Result<TracepointFormat> parse_tracepoint_format(std::string_view text) {
  std::istringstream in{std::string(text)};
  return parse_tracepoint_format(in);
}

std::vector<FieldFormat> syscall_arguments(const TracepointFormat& enter) {
  std::vector<FieldFormat> args;
  bool after_nr = false;
  for (const auto& f : enter.fields) {
    if (after_nr) args.push_back(f);
    else if (f.name == "__syscall_nr" || f.name == "nr") after_nr = true;
  }
  return args;
}

}  // namespace etrace::decode
