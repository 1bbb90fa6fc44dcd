// What the capture says about each syscall: its name (from the capture's
// syscall table) and its arguments' names and types (from the capture's
// tracepoint format files). Never consults the decoding machine.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/syscall_semantics.h"
#include "decode/values/btf_types.h"
#include "decode/values/c_type.h"
#include "decode/values/value.h"
#include "format/metadata.h"

namespace etrace::decode {

struct SyscallDecoders;  // syscall_decoders.h

struct ArgumentSpec {
  std::string name;
  CType type;
};

struct SyscallSignature {
  std::string name;            // "openat"; "syscall_NNN" when the table lacks it
  bool have_format = false;    // false: arguments are shown as six raw registers
  std::vector<ArgumentSpec> args;
  bool returns_address = false;  // mmap, brk, ...
  const catalog::SyscallSemantics* semantics = nullptr;  // nullptr: the table does not know it
  const std::vector<format::CopyOp>* ops = nullptr;     // the capture's copy plan; nullptr: none
  const format::CommandPlans* commands = nullptr;       // ... and its commands' (1.4); nullptr: none
  const SyscallDecoders* decoders = nullptr;            // its own decoders; nullptr: the semantics table alone
};

class SyscallCatalog {
 public:
  SyscallCatalog() = default;
  SyscallCatalog(const format::SyscallTable& table, const format::TracepointFormats& formats,
                 std::optional<format::CopyPlans> plans = std::nullopt, std::optional<BtfTypes> btf = std::nullopt);

  // Parsed once per syscall, on first use.
  const SyscallSignature& signature(uint16_t nr);

  // The capture's BTF, when it carried one.
  const BtfTypes* btf() const { return btf_ ? &*btf_ : nullptr; }
  ReturnValue decode_return(const SyscallSignature& sig, int64_t ret) const;

  // Format files that could not be parsed, with why (for a warning).
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  format::SyscallTable table_;
  std::map<std::string, std::string> formats_;
  std::optional<format::CopyPlans> plans_;
  std::optional<BtfTypes> btf_;
  // By number: looked up several times for every call decoded.
  std::vector<std::unique_ptr<SyscallSignature>> cache_;
  std::vector<std::string> problems_;
};


}  // namespace etrace::decode
