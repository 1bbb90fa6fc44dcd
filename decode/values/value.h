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
// A number with its symbolic spelling, already in strace's notation:
// "O_RDONLY|O_CLOEXEC", "AT_FDCWD", "SIGINT", "0644", "htons(80)",
// "makedev(0x8, 0x1)". JSON keeps both the number and the text.
struct Symbolic {
  int64_t raw;
  std::string text;
  bool unsigned_raw = false;  // raw is a u64 (RLIM64_INFINITY, a full sigset): JSON shows it unsigned
};
// Bytes copied from the traced process: a string, a path or a buffer.
// `data` is what the capture holds; `full_length` what the object really
// measured (a string without its NUL, a buffer's length). `capture_cut` says
// the capture copied less than there was (its --bytes/string cap).
struct Bytes {
  enum class Style : uint8_t {
    kString,  // cut at decode's -s limit, like strace
    kPath,    // shown in full
    kBuffer,  // cut at -s; with -x/-xx in hex
    kHex,     // a buffer always in hex, as strace shows netlink payloads it does not decode
  };
  std::string data;
  uint64_t full_length = 0;
  bool capture_cut = false;
  Style style = Style::kString;
};
// Memory the capture could not read (EFAULT, unmapped): strace shows the
// address, and so do we.
struct Unreadable {
  uint64_t address;
};

// A descriptor and what it refers to (-y): "3</etc/hosts>", in JSON
// {"fd": 3, "path": "/etc/hosts"}. Only made when the capture knows the path.
// `name` spells a symbolic number ("AT_FDCWD</tmp>"); empty for a plain one.
struct Descriptor {
  int64_t fd;
  std::string path;
  std::string name;
};

struct Value;
struct NamedValue;

// A struct, union or other aggregate, member by member. `elided` says that
// members were left out (strace's "..." in abbreviated output).
struct Aggregate {
  std::vector<NamedValue> fields;
  bool elided = false;
};
// An array: "[a, b, c]", with `more` when elements were left out.
struct List {
  std::vector<Value> items;
  bool more = false;
};

using ValueVariant =
    std::variant<SignedInt, UnsignedInt, Pointer, RawHex, Symbolic, Bytes, Unreadable, Descriptor, Aggregate, List>;

// Inherits the variant so std::visit and std::get_if work on it directly;
// a struct (not an alias) because Aggregate and List hold Values.
struct Value : ValueVariant {
  using ValueVariant::ValueVariant;
  const ValueVariant& variant() const { return *this; }
};

// A field with an empty name is printed as its value alone: strace spells
// some fields as a call rather than "name=value" (sockaddr_in6's
// inet_pton(AF_INET6, "::1", &sin6_addr)).
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
  // Printed in hex, though not an address: strace's choice for values that
  // are flags (fcntl's F_GETFL), "= 0x8002".
  bool hex = false;
  // What strace adds in parentheses after a successful result: what the
  // value means or what the call wrote back, "(flags FD_CLOEXEC)",
  // "(Timeout)", "([{fd=4, revents=POLLIN}])", "(in [4], left {...})". A
  // member with a name is printed "name value", one without as the value.
  std::optional<Aggregate> annotation;
  // Library calls: the result as the function's prototype types it (a
  // string, an address, a character), shown instead of `raw`; or nothing
  // at all for a function that returns void.
  std::optional<Value> value;
  bool is_void = false;
  // -y: what the descriptor the call returned refers to ("= 3</etc/hosts>").
  std::optional<std::string> fd_path;
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
