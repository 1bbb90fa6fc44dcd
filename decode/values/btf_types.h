// The kernel's types, from the BTF a capture carries (the raw bytes of
// /sys/kernel/btf/vmlinux), and the generic rendering of a copied object
// member by member. strace's own layouts for common structs are applied on
// top of this by decode/struct_views.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "common/result.h"
#include "decode/values/value.h"

struct btf;

namespace etrace::decode {

class BtfTypes {
 public:
  // Parses raw BTF. A blob libbpf rejects gives an Error, never a crash.
  static Result<BtfTypes> from_bytes(std::string_view raw);

  // A struct, union, typedef or integer type by name ("stat", "__u64").
  std::optional<uint32_t> find_type(std::string_view name) const;
  // Bytes an object of type `id` takes; nullopt for types without a size.
  std::optional<uint64_t> size_of(uint32_t id) const;
  // The name of the struct or union `id` is, past typedefs and qualifiers;
  // empty for anything else.
  std::string_view struct_name(uint32_t id) const;

  // Where a member of struct/union `id` lives. Members of anonymous
  // structs and unions are found by their own names, as in C.
  struct Member {
    uint32_t type_id;
    uint32_t bit_offset;
    uint32_t bitfield_size;  // 0 when not a bitfield
  };
  std::optional<Member> member(uint32_t id, std::string_view name) const { return member_at(id, name, 0); }

  // `bytes` as an object of type `id`: structs and unions as Aggregates,
  // arrays as Lists (char arrays as strings), enums by enumerator name,
  // integers by their signedness, pointers as Pointers. Members that
  // `bytes` does not hold in full are left out and their Aggregate marked
  // elided; nothing past `bytes` is ever read.
  Value render(uint32_t id, std::string_view bytes) const;

 private:
  struct BtfFree {
    void operator()(struct btf* b) const;
  };
  explicit BtfTypes(struct btf* b) : btf_(b) {}

  // A capture's BTF may be damaged into a cycle: anonymous members are
  // followed kMaxDepth deep at most.
  std::optional<Member> member_at(uint32_t id, std::string_view name, int depth) const;
  Value render_at(uint32_t id, std::string_view bytes, int depth) const;
  Value render_composite(uint32_t id, std::string_view bytes, int depth) const;
  void add_members(uint32_t id, std::string_view bytes, uint32_t base_bits, int depth, Aggregate& out) const;
  Value render_bitfield(uint32_t type_id, std::string_view bytes, uint32_t bit_offset, uint32_t bits) const;
  Value render_array(uint32_t id, std::string_view bytes, int depth) const;
  Value render_int(uint32_t id, std::string_view bytes) const;
  Value render_enum(uint32_t id, uint64_t bits) const;
  uint32_t resolve(uint32_t id) const;
  bool is_char(uint32_t id) const;

  std::unique_ptr<struct btf, BtfFree> btf_;
};

}  // namespace etrace::decode
