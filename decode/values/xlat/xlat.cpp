#include "decode/values/xlat/xlat.h"

#include <unordered_map>

#include "decode/values/value.h"
#include "decode/values/xlat/constant_table.h"
#include "decode/values/xlat/set_spec.h"

namespace etrace::decode::xlat {
namespace {

const SetSpec* find_spec(std::string_view set) {
  static const auto by_name = [] {
    std::unordered_map<std::string_view, const SetSpec*> map;
    for (auto family : {event_sets(), file_sets(), memory_sets(), process_sets(), signal_sets(), socket_sets()})
      for (const auto& spec : family) map.emplace(spec.name, &spec);
    return map;
  }();
  auto it = by_name.find(set);
  return it == by_name.end() ? nullptr : it->second;
}

std::string set_text(std::string_view set, int64_t value) {
  const SetSpec* spec = find_spec(set);
  if (spec == nullptr) return hex_string(static_cast<uint64_t>(value));
  switch (spec->shape) {
    case SetSpec::Shape::kFlags:
      return flags_string(constants(spec->name), static_cast<uint64_t>(value), spec->unknown);
    case SetSpec::Shape::kValue:
      return value_string(constants(spec->name), value, spec->unknown);
    case SetSpec::Shape::kCustom:
      break;
  }
  return spec->custom(value);
}

}  // namespace

bool has_set(std::string_view set) { return find_spec(set) != nullptr; }

// A set prints the same whichever way the semantics table names it: the
// shape belongs to the set (socket's type is a value and flags at once).
std::string flags_text(std::string_view set, uint64_t value) { return set_text(set, static_cast<int64_t>(value)); }

std::string enum_text(std::string_view set, int64_t value) { return set_text(set, value); }

}  // namespace etrace::decode::xlat
