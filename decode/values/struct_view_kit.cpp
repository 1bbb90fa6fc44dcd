#include "decode/values/struct_view_kit.h"

#include "decode/values/xlat/xlat.h"

namespace etrace::decode::views {

std::optional<std::string_view> StructReader::raw(std::string_view member) const {
  const auto m = types_.member(id_, member);
  if (!m || m->bitfield_size != 0) return std::nullopt;
  const uint64_t start = m->bit_offset / 8;
  const uint64_t size = types_.size_of(m->type_id).value_or(0);
  if (start + size > bytes_.size()) return std::nullopt;
  // A flexible array member (size 0) spans the rest of the copy.
  return size == 0 ? bytes_.substr(start) : bytes_.substr(start, size);
}

uint64_t StructReader::uint(std::string_view member) const {
  const auto bytes = raw(member);
  if (!bytes) return 0;
  uint64_t v = 0;
  for (size_t i = 0; i < bytes->size() && i < 8; ++i) v |= uint64_t{static_cast<uint8_t>((*bytes)[i])} << (8 * i);
  return v;
}

int64_t StructReader::sint(std::string_view member) const {
  const auto bytes = raw(member);
  const uint64_t v = uint(member);
  if (!bytes || bytes->empty() || bytes->size() >= 8) return static_cast<int64_t>(v);
  const unsigned shift = 64 - 8 * static_cast<unsigned>(bytes->size());
  return static_cast<int64_t>(v << shift) >> shift;
}

uint8_t StructReader::bits(std::string_view member) const {
  const auto bytes = raw(member);
  return static_cast<uint8_t>(bytes && !bytes->empty() && bytes->size() < 8 ? bytes->size() * 8 : 64);
}

Value StructReader::generic(std::string_view member) const {
  const auto m = types_.member(id_, member);
  const auto bytes = raw(member);
  if (!m || !bytes) return Bytes{};
  return types_.render(m->type_id, *bytes);
}

std::optional<StructReader> StructReader::nested(std::string_view member) const {
  const auto m = types_.member(id_, member);
  const auto bytes = raw(member);
  if (!m || !bytes) return std::nullopt;
  return StructReader(types_, m->type_id, *bytes, options_);
}

Value as_generic(const StructReader& r, std::string_view member) { return r.generic(member); }

Value as_hex(const StructReader& r, std::string_view member) {
  const uint64_t v = r.uint(member);
  return Symbolic{static_cast<int64_t>(v), hex_string(v), false, r.bits(member)};
}

Value as_pointer(const StructReader& r, std::string_view member) { return Pointer{r.uint(member)}; }

Value as_descriptor(const StructReader& r, std::string_view member) { return Descriptor{r.sint(member), "", ""}; }

Value as_file_mode(const StructReader& r, std::string_view member) {
  const uint64_t v = r.uint(member);
  return Symbolic{static_cast<int64_t>(v), xlat::file_mode_text(v), false, r.bits(member)};
}

Value as_mode(const StructReader& r, std::string_view member) {
  const uint64_t v = r.uint(member);
  return Symbolic{static_cast<int64_t>(v), xlat::mode_text(v), false, r.bits(member)};
}

Value as_dev(const StructReader& r, std::string_view member) {
  const uint64_t v = r.uint(member);
  return Symbolic{static_cast<int64_t>(v), xlat::dev_text(v), false, r.bits(member)};
}

Value as_signal(const StructReader& r, std::string_view member) {
  const int64_t v = r.sint(member);
  return Symbolic{v, xlat::signal_text(v), false, r.bits(member)};
}

Format as_flags(std::string_view set) {
  return [set](const StructReader& r, std::string_view member) -> Value {
    const uint64_t v = r.uint(member);
    return Symbolic{static_cast<int64_t>(v), xlat::flags_text(set, v), false, r.bits(member)};
  };
}

Format as_enum(std::string_view set) {
  return [set](const StructReader& r, std::string_view member) -> Value {
    const int64_t v = r.sint(member);
    return Symbolic{v, xlat::enum_text(set, v), false, r.bits(member)};
  };
}

ViewBuilder& ViewBuilder::field(std::string_view member, const Format& format, Shown shown) {
  if ((shown == Shown::kVerboseOnly && !r_.options().verbose) || !r_.present(member)) {
    out_.elided = true;
    return *this;
  }
  out_.fields.push_back({std::string(member), format(r_, member)});
  return *this;
}

}  // namespace etrace::decode::views
