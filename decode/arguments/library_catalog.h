// The library functions a capture traced (its libraries block): names,
// libraries, prototypes and copy plans, by the index records carry. Library
// calls are decoded from the capture's own prototypes, so a capture shows
// the same whatever prototypes later etrace versions ship.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/lib_prototypes.h"
#include "decode/input/call_pairing.h"
#include "decode/values/value.h"
#include "format/metadata.h"

namespace etrace::decode {

struct LibraryFunctionInfo {
  std::string name;
  std::string library;                         // its soname, or its file's name when it has none
  std::optional<catalog::LibPrototype> prototype;
  std::vector<format::CopyOp> ops;
};

class LibraryCatalog {
 public:
  LibraryCatalog() = default;
  explicit LibraryCatalog(const format::LibraryTable& table);

  // A function index the capture does not list is "function_N" of library "?".
  const LibraryFunctionInfo& function(uint32_t index) const;
  // Prototypes the capture carried that this decoder cannot read.
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<LibraryFunctionInfo> functions_;
  mutable std::vector<std::string> problems_;
  mutable LibraryFunctionInfo unknown_;
};

// A library call's arguments and result, as its prototype types them;
// without one, the six argument registers and the result in hex.
struct LibraryCallValues {
  std::vector<NamedValue> args;
  size_t args_at_entry = SIZE_MAX;  // the first argument the function writes
  std::optional<ReturnValue> ret;
};
LibraryCallValues decode_library_call(const LibraryFunctionInfo& function, const Call& call);

}  // namespace etrace::decode
