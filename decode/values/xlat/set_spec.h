// How each named set of decode/values/xlat/xlat.h is printed. Most sets are a
// generated table of the same name printed as flags or as one value; sets
// with a value field inside (open's access mode, clone's exit signal) have
// their own function. Each family of sets lives in its own file.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace etrace::decode::xlat {

struct SetSpec {
  enum class Shape : uint8_t {
    kFlags,   // the table of the same name, as bit flags
    kValue,   // the table of the same name, as one value
    kCustom,  // `custom` prints it
  };
  std::string_view name;
  Shape shape;
  std::string_view unknown;  // kFlags, kValue: strace's comment on a number without a name, "SEEK_???"
  std::string (*custom)(int64_t value) = nullptr;
};

std::span<const SetSpec> event_sets();
std::span<const SetSpec> file_sets();
std::span<const SetSpec> memory_sets();
std::span<const SetSpec> process_sets();
std::span<const SetSpec> signal_sets();
std::span<const SetSpec> socket_sets();

}  // namespace etrace::decode::xlat
