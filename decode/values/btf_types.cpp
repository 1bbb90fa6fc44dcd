#include "decode/values/btf_types.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace etrace::decode {
namespace {

// Kernel structs nest a handful of levels; a deeper chain only comes from a
// crafted blob, which must not exhaust the stack.
constexpr int kMaxDepth = 16;

// Little-endian, as the capture's machine (x86-64) wrote it.
uint64_t read_le(std::string_view bytes, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n && i < 8 && i < bytes.size(); ++i) v |= uint64_t{static_cast<uint8_t>(bytes[i])} << (8 * i);
  return v;
}

int64_t sign_extend(uint64_t v, unsigned bits) {
  if (bits == 0 || bits >= 64) return static_cast<int64_t>(v);
  const uint64_t sign = uint64_t{1} << (bits - 1);
  v &= (sign << 1) - 1;
  return static_cast<int64_t>((v ^ sign) - sign);
}

Value hex_bytes(std::string_view bytes, uint64_t full_length) {
  Bytes b;
  b.data = std::string(bytes.substr(0, full_length));
  b.full_length = full_length;
  b.capture_cut = bytes.size() < full_length;
  b.style = Bytes::Style::kBuffer;
  return b;
}

}  // namespace

void BtfTypes::BtfFree::operator()(struct btf* b) const { btf__free(b); }

Result<BtfTypes> BtfTypes::from_bytes(std::string_view raw) {
  if (raw.empty()) return Error{"the capture's BTF is empty"};
  struct btf* b = btf__new(raw.data(), static_cast<uint32_t>(raw.size()));
  const long err = libbpf_get_error(b);
  if (b == nullptr || err != 0) {
    const int code = err != 0 ? static_cast<int>(-err) : errno;
    return Error{"the capture's BTF (" + std::to_string(raw.size()) + " bytes) is not valid: " + std::strerror(code)};
  }
  return BtfTypes(b);
}

std::optional<uint32_t> BtfTypes::find_type(std::string_view name) const {
  const std::string n(name);
  for (int kind : {BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF, BTF_KIND_INT, BTF_KIND_ENUM}) {
    const int id = btf__find_by_name_kind(btf_.get(), n.c_str(), kind);
    if (id > 0) return static_cast<uint32_t>(id);
  }
  return std::nullopt;
}

std::optional<uint64_t> BtfTypes::size_of(uint32_t id) const {
  const int64_t size = btf__resolve_size(btf_.get(), id);
  if (size < 0) return std::nullopt;
  return static_cast<uint64_t>(size);
}

uint32_t BtfTypes::resolve(uint32_t id) const {
  const int r = btf__resolve_type(btf_.get(), id);
  return r < 0 ? id : static_cast<uint32_t>(r);
}

std::string_view BtfTypes::struct_name(uint32_t id) const {
  const struct btf_type* t = btf__type_by_id(btf_.get(), resolve(id));
  if (t == nullptr || !btf_is_composite(t)) return {};
  const char* name = btf__name_by_offset(btf_.get(), t->name_off);
  return name ? name : "";
}

std::optional<BtfTypes::Member> BtfTypes::member_at(uint32_t id, std::string_view name, int depth) const {
  const struct btf_type* t = btf__type_by_id(btf_.get(), resolve(id));
  if (t == nullptr || !btf_is_composite(t) || depth > kMaxDepth) return std::nullopt;
  const struct btf_member* m = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    const char* mname = btf__name_by_offset(btf_.get(), m[i].name_off);
    const uint32_t offset = btf_member_bit_offset(t, i);
    if (mname != nullptr && *mname != '\0') {
      if (name == mname) return Member{m[i].type, offset, btf_member_bitfield_size(t, i)};
      continue;
    }
    if (auto inner = member_at(m[i].type, name, depth + 1)) {
      inner->bit_offset += offset;
      return inner;
    }
  }
  return std::nullopt;
}

Value BtfTypes::render(uint32_t id, std::string_view bytes) const { return render_at(id, bytes, 0); }

Value BtfTypes::render_at(uint32_t id, std::string_view bytes, int depth) const {
  const uint32_t rid = resolve(id);
  const struct btf_type* t = btf__type_by_id(btf_.get(), rid);
  const uint64_t size = size_of(rid).value_or(bytes.size());
  if (t == nullptr || depth > kMaxDepth) return hex_bytes(bytes, size);
  switch (btf_kind(t)) {
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
      return render_composite(rid, bytes, depth);
    case BTF_KIND_ARRAY:
      return render_array(rid, bytes, depth);
    case BTF_KIND_INT:
      if (bytes.size() < size) return hex_bytes(bytes, size);
      return render_int(rid, bytes);
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      if (bytes.size() < size) return hex_bytes(bytes, size);
      return render_enum(rid, read_le(bytes, size));
    case BTF_KIND_PTR: {
      size_t ptr_size = btf__pointer_size(btf_.get());
      if (ptr_size == 0) ptr_size = 8;
      if (bytes.size() < ptr_size) return hex_bytes(bytes, ptr_size);
      return Pointer{read_le(bytes, ptr_size)};
    }
    default:
      return hex_bytes(bytes, size);
  }
}

Value BtfTypes::render_composite(uint32_t id, std::string_view bytes, int depth) const {
  Aggregate out;
  add_members(id, bytes, 0, depth, out);
  return out;
}

// Members in declaration order; those of an anonymous struct or union are
// spliced in where it stands, as C lets them be named.
void BtfTypes::add_members(uint32_t id, std::string_view bytes, uint32_t base_bits, int depth,
                           Aggregate& out) const {
  const struct btf_type* t = btf__type_by_id(btf_.get(), id);
  const struct btf_member* m = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    const char* raw_name = btf__name_by_offset(btf_.get(), m[i].name_off);
    const std::string name = raw_name ? raw_name : "";
    const uint32_t bit_offset = base_bits + btf_member_bit_offset(t, i);
    const uint32_t bits = btf_member_bitfield_size(t, i);
    if (bits != 0) {
      if ((uint64_t{bit_offset} + bits + 7) / 8 > bytes.size()) {
        out.elided = true;
        continue;
      }
      out.fields.push_back({name, render_bitfield(m[i].type, bytes, bit_offset, bits)});
      continue;
    }
    const uint32_t mtype = resolve(m[i].type);
    const struct btf_type* mt = btf__type_by_id(btf_.get(), mtype);
    if (name.empty() && mt != nullptr && btf_is_composite(mt) && depth < kMaxDepth) {
      add_members(mtype, bytes, bit_offset, depth + 1, out);
      continue;
    }
    const uint64_t start = bit_offset / 8;
    const uint64_t size = size_of(mtype).value_or(0);
    if (start + size > bytes.size()) {
      out.elided = true;
      continue;
    }
    // A flexible array member (size 0) runs to the end of what was copied.
    const std::string_view slice = size == 0 ? bytes.substr(start) : bytes.substr(start, size);
    out.fields.push_back({name, render_at(mtype, slice, depth + 1)});
  }
}

Value BtfTypes::render_bitfield(uint32_t type_id, std::string_view bytes, uint32_t bit_offset, uint32_t bits) const {
  uint64_t v = 0;
  for (uint32_t i = 0; i < bits && i < 64; ++i) {
    const uint32_t at = bit_offset + i;
    const uint64_t bit = (static_cast<uint8_t>(bytes[at / 8]) >> (at % 8)) & 1;
    v |= bit << i;
  }
  const uint32_t rid = resolve(type_id);
  const struct btf_type* t = btf__type_by_id(btf_.get(), rid);
  if (t != nullptr && btf_is_any_enum(t)) return render_enum(rid, v);
  const auto width = static_cast<uint8_t>(t != nullptr && btf_is_int(t) ? t->size * 8 : 64);
  if (t != nullptr && btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED)) return SignedInt{sign_extend(v, bits), width};
  return UnsignedInt{v, width};
}

bool BtfTypes::is_char(uint32_t id) const {
  const struct btf_type* t = btf__type_by_id(btf_.get(), resolve(id));
  if (t == nullptr || !btf_is_int(t) || t->size != 1) return false;
  const char* name = btf__name_by_offset(btf_.get(), t->name_off);
  return (btf_int_encoding(t) & BTF_INT_CHAR) || (name != nullptr && std::strcmp(name, "char") == 0);
}

Value BtfTypes::render_array(uint32_t id, std::string_view bytes, int depth) const {
  const struct btf_array* a = btf_array(btf__type_by_id(btf_.get(), id));
  if (is_char(a->type)) {
    // A char array is text up to its NUL, like strace's struct strings; a
    // flexible one (nelems 0) may take everything that was copied.
    const std::string_view room = a->nelems == 0 ? bytes : bytes.substr(0, a->nelems);
    const size_t nul = room.find('\0');
    Bytes s;
    s.data = std::string(room.substr(0, nul));
    s.full_length = s.data.size();
    s.capture_cut = nul == std::string_view::npos && room.size() < a->nelems;
    s.style = Bytes::Style::kString;
    return s;
  }
  List out;
  const uint64_t elem_size = size_of(a->type).value_or(0);
  if (elem_size == 0) return out;
  for (uint32_t i = 0; i < a->nelems; ++i) {
    if ((uint64_t{i} + 1) * elem_size > bytes.size()) {
      out.more = true;
      break;
    }
    out.items.push_back(render_at(a->type, bytes.substr(i * elem_size, elem_size), depth + 1));
  }
  return out;
}

Value BtfTypes::render_int(uint32_t id, std::string_view bytes) const {
  const struct btf_type* t = btf__type_by_id(btf_.get(), id);
  if (t->size > 8) return hex_bytes(bytes, t->size);
  // An int type may itself be narrower than its storage (btf_int_bits).
  const uint32_t bits = btf_int_bits(t);
  const uint32_t offset = btf_int_offset(t);
  uint64_t v = offset < 64 ? read_le(bytes, t->size) >> offset : 0;
  if (bits < 64) v &= (uint64_t{1} << bits) - 1;
  const auto width = static_cast<uint8_t>(t->size * 8);
  if (btf_int_encoding(t) & BTF_INT_SIGNED) return SignedInt{sign_extend(v, bits), width};
  return UnsignedInt{v, width};
}

Value BtfTypes::render_enum(uint32_t id, uint64_t bits) const {
  const struct btf_type* t = btf__type_by_id(btf_.get(), id);
  const bool is_signed = btf_kflag(t);
  const int64_t value = is_signed ? sign_extend(bits, t->size * 8) : static_cast<int64_t>(bits);
  const auto width = static_cast<uint8_t>(t->size * 8);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    uint64_t enumerator_bits = 0;
    uint32_t name_off = 0;
    if (btf_is_enum64(t)) {
      enumerator_bits = btf_enum64_value(btf_enum64(t) + i);
      name_off = btf_enum64(t)[i].name_off;
    } else {
      enumerator_bits = static_cast<uint32_t>(btf_enum(t)[i].val);
      name_off = btf_enum(t)[i].name_off;
    }
    const uint64_t mask = t->size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (t->size * 8)) - 1;
    if ((enumerator_bits & mask) == (bits & mask)) {
      const char* name = btf__name_by_offset(btf_.get(), name_off);
      if (name) return Symbolic{value, name, !is_signed, width};
      break;
    }
  }
  // A value without a name is still of the enum: spelled as a number.
  return Symbolic{value, is_signed ? std::to_string(value) : std::to_string(bits), !is_signed, width};
}

}  // namespace etrace::decode
