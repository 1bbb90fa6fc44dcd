// The value model: what a decoded argument or return value is, independent
// of how it is printed. Renderers turn these into text or JSON and never
// know where a value came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace etrace::decode {

// "0x1f": how addresses and untyped values are written, in text and JSON.
std::string hex_string(uint64_t v);

struct SignedInt {
  int64_t value;
};
struct UnsignedInt {
  uint64_t value;
};
struct Pointer {
  uint64_t address;  // 0 is NULL
};
// A value of a type the decoder does not know: all 64 bits, shown in hex.
struct RawHex {
  uint64_t bits;
};

using Value = std::variant<SignedInt, UnsignedInt, Pointer, RawHex>;

struct NamedValue {
  std::string name;
  Value value;
};

// What a syscall returned, already interpreted: an error carries its errno.
struct ReturnValue {
  int64_t raw = 0;        // the register, as the kernel returned it
  bool is_address = false;  // mmap, brk, ...: printed in hex unless an error
  struct ErrorCode {
    int number;            // positive errno
    std::string name;      // "ENOENT"; empty when the number has no name
    std::string message;   // "No such file or directory"
    bool kernel_internal;  // ERESTARTSYS and friends: never seen by user space
  };
  std::optional<ErrorCode> error;
};

// How a process or thread ended, from its wait(2) status.
struct ExitStatus {
  int status = 0;  // raw wait status
  bool signaled() const { return (status & 0x7f) != 0; }
  int exit_code() const { return (status >> 8) & 0xff; }
  int signal() const { return status & 0x7f; }
  bool core_dumped() const { return (status & 0x80) != 0; }
};

}  // namespace etrace::decode
