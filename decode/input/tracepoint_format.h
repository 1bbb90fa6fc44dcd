// Parses tracefs event format files (events/<system>/<event>/format), the
// kernel's own description of a tracepoint's record. A capture stores the
// files of the machine it ran on, so argument names and types come from that
// kernel, never from the machine decoding.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace etrace::decode {

struct FieldFormat {
  // The declared C type without the name or array suffix: "const char *",
  // "char" for `char comm[16]` and for `__data_loc char[] filename`.
  std::string type;
  std::string name;
  uint32_t offset = 0;
  uint32_t size = 0;
  bool is_signed = false;
  // `__data_loc` / `__rel_loc`: the field is a 32-bit locator (length << 16 |
  // offset) of variable-length data stored after the fixed fields.
  bool data_loc = false;
  bool rel_loc = false;
  bool is_array = false;
  std::optional<uint32_t> array_len;  // `[16]`; empty for `[]`
};

struct TracepointFormat {
  std::string name;
  uint32_t id = 0;
  std::vector<FieldFormat> common_fields;  // common_type, common_pid, ...
  std::vector<FieldFormat> fields;         // the event's own fields, in order
  std::string print_fmt;                   // verbatim, after "print fmt: "

  const FieldFormat* field(std::string_view name) const;
};

Result<TracepointFormat> parse_tracepoint_format(std::istream& in);
Result<TracepointFormat> parse_tracepoint_format(std::string_view text);

// The arguments of a sys_enter_* event: its fields after the syscall number
// (`__syscall_nr`, or `nr` in kernels before 4.x).
std::vector<FieldFormat> syscall_arguments(const TracepointFormat& enter);

}  // namespace etrace::decode
