// The generated constant tables (see gen_xlat_tables.cmake and the *.in
// lists) and strace's two ways of printing a number against one: as bit
// flags and as one value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "decode/values/xlat/constant.h"

namespace etrace::decode::xlat {

struct ConstantSetEntry {
  // How xlat prints the set of the table's name, as its list declares:
  // "set whence value SEEK_???". kTableOnly: a table that a hand-written
  // printer (custom_sets.h) or another decoder reads.
  enum class Print : uint8_t { kTableOnly, kFlags, kValue };
  std::string_view name;
  ConstantArray (*constants)();
  Print print = Print::kTableOnly;
  std::string_view unknown;  // strace's comment on a number without a name, "SEEK_???"
};

// Every generated table (defined in the generated xlat_sets.cpp).
std::span<const ConstantSetEntry> all_constant_sets();

// The generated table named `set` with how it prints; nullptr when none.
const ConstantSetEntry* constant_set(std::string_view set);

// The generated table named `set`; empty when there is none.
std::span<const Constant> constants(std::string_view set);

// The value of the constant called `name` in `table`.
std::optional<int64_t> value_of(std::span<const Constant> table, std::string_view name);

// The first name whose value is exactly `value`.
std::optional<std::string_view> name_of(std::span<const Constant> table, int64_t value);

// strace's printflags: names in table order, each taking its bits; left-over
// bits as "|0x40". A value with no named bits is "0x40 /* PROT_??? */" (the
// comment names the set's prefix), zero is the table's zero-valued name if it
// has one ("PROT_NONE"), else "0".
std::string flags_string(std::span<const Constant> table, uint64_t value, std::string_view unknown);

// strace's printxval: the name, or "0x7 /* SEEK_??? */". A negative value
// is a C int to strace and is shown as its 32 bits.
std::string value_string(std::span<const Constant> table, int64_t value, std::string_view unknown);

// C's "%#x": like hex_string, but "0" for zero (makedev(0, 0), _IOC fields).
std::string c_hex(uint64_t v);

// "0x7 /* SEEK_??? */" alone (no comment when `unknown` is empty).
std::string unknown_value(uint64_t bits, std::string_view unknown);

}  // namespace etrace::decode::xlat
