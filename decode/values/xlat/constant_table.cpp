#include "decode/values/xlat/constant_table.h"

#include <unordered_map>

#include "decode/values/value.h"

namespace etrace::decode::xlat {

const ConstantSetEntry* constant_set(std::string_view set) {
  static const auto by_name = [] {
    std::unordered_map<std::string_view, const ConstantSetEntry*> map;
    for (const auto& entry : all_constant_sets()) map.emplace(entry.name, &entry);
    return map;
  }();
  auto it = by_name.find(set);
  return it == by_name.end() ? nullptr : it->second;
}

std::span<const Constant> constants(std::string_view set) {
  const ConstantSetEntry* entry = constant_set(set);
  if (!entry) return {};
  const ConstantArray array = entry->constants();
  return {array.items, array.count};
}

std::optional<int64_t> value_of(std::span<const Constant> table, std::string_view name) {
  for (const auto& c : table)
    if (c.name == name) return c.value;
  return std::nullopt;
}

std::optional<std::string_view> name_of(std::span<const Constant> table, int64_t value) {
  for (const auto& c : table)
    if (c.value == value) return c.name;
  return std::nullopt;
}

std::string c_hex(uint64_t v) { return v == 0 ? "0" : hex_string(v); }

std::string unknown_value(uint64_t bits, std::string_view unknown) {
  std::string out = c_hex(bits);
  if (!unknown.empty()) out.append(" /* ").append(unknown).append(" */");
  return out;
}

std::string flags_string(std::span<const Constant> table, uint64_t value, std::string_view unknown) {
  if (value == 0) {
    for (const auto& c : table)
      if (c.value == 0) return std::string(c.name);
    return "0";
  }
  std::string out;
  uint64_t left = value;
  for (const auto& c : table) {
    const auto bits = static_cast<uint64_t>(c.value);
    if (bits == 0 || (left & bits) != bits) continue;
    if (!out.empty()) out += '|';
    out += c.name;
    left &= ~bits;
  }
  if (out.empty()) return unknown_value(value, unknown);
  if (left != 0) out.append("|").append(hex_string(left));
  return out;
}

std::string value_string(std::span<const Constant> table, int64_t value, std::string_view unknown) {
  if (auto name = name_of(table, value)) return std::string(*name);
  // Arguments of these sets are C ints: strace shows -10 as 0xfffffff6.
  const bool c_int = value < 0 && value >= INT32_MIN;
  return unknown_value(c_int ? static_cast<uint32_t>(value) : static_cast<uint64_t>(value), unknown);
}

}  // namespace etrace::decode::xlat
