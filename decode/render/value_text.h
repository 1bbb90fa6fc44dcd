// Values, calls and results as strace writes them: decimal integers, hex
// pointers, NULL, quoted strings, {structs} and [arrays].
#pragma once

#include <cstddef>
#include <string>

#include "decode/values/decoded_event.h"
#include "decode/values/string_quote.h"
#include "decode/values/value.h"

namespace etrace::decode {

// How strings and buffers are cut and escaped (-s, -x, -xx).
struct StringOptions {
  size_t limit = 32;  // -s: bytes shown before "..."; paths are shown whole, as strace does
  HexStyle hex = HexStyle::kNone;
};

// A value as strace-like text: decimal integers, hex pointers, NULL,
// quoted strings, {structs} and [arrays].
std::string value_text(const Value& value, const StringOptions& strings = {});
// A call's name and arguments as strace shows them, without the closing
// parenthesis: "openat(AT_FDCWD, \"/etc/hosts\", O_RDONLY". `outputs_at`,
// when given, receives where the arguments the kernel writes begin (npos
// when none are shown).
std::string call_text(const DecodedCall& call, const StringOptions& strings = {}, size_t* outputs_at = nullptr);
// A return value: "3", "0x7f0000000000", "-1 ENOENT (No such file or directory)",
// "0x1 (flags FD_CLOEXEC)".
std::string return_text(const ReturnValue& ret, const StringOptions& strings = {});

}  // namespace etrace::decode
