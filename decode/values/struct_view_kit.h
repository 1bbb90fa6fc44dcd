// What the struct views (struct_views_*.cpp) are written with: a reader
// that finds members by name in the copied bytes, and a builder that lays
// out the members strace shows, in its order, each with its notation.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "decode/values/btf_types.h"
#include "decode/values/struct_views.h"
#include "decode/values/value.h"

namespace etrace::decode::views {

// A copied struct, read by member name. A member is "present" when the
// struct has it and the copy holds all of its bytes.
class StructReader {
 public:
  StructReader(const BtfTypes& types, uint32_t id, std::string_view bytes, ViewOptions options)
      : types_(types), id_(id), bytes_(bytes), options_(options) {}

  std::optional<std::string_view> raw(std::string_view member) const;
  bool present(std::string_view member) const { return raw(member).has_value(); }
  // The member's integer value, zero- or sign-extended from its width;
  // 0 when it is not present.
  uint64_t uint(std::string_view member) const;
  int64_t sint(std::string_view member) const;
  // The member's width in bits (64 when it is not present), for Symbolic::bits.
  uint8_t bits(std::string_view member) const;
  // The member as the generic BTF rendering gives it.
  Value generic(std::string_view member) const;
  // A struct member, to be read member by member in turn.
  std::optional<StructReader> nested(std::string_view member) const;

  const ViewOptions& options() const { return options_; }
  // The copy itself, for structs laid out by what a member says (siginfo).
  std::string_view bytes() const { return bytes_; }

 private:
  const BtfTypes& types_;
  uint32_t id_;
  std::string_view bytes_;
  ViewOptions options_;
};

// How one member is written.
using Format = std::function<Value(const StructReader&, std::string_view member)>;

Value as_generic(const StructReader& r, std::string_view member);
Value as_hex(const StructReader& r, std::string_view member);           // "0x1b"
Value as_pointer(const StructReader& r, std::string_view member);       // an address held in an integer
Value as_descriptor(const StructReader& r, std::string_view member);    // a descriptor: "3", "3</etc/hosts>" with -y
Value as_file_mode(const StructReader& r, std::string_view member);     // "S_IFREG|0644"
Value as_mode(const StructReader& r, std::string_view member);          // "0644"
Value as_dev(const StructReader& r, std::string_view member);           // "makedev(0x8, 0x1)"
Value as_signal(const StructReader& r, std::string_view member);        // "SIGCHLD"
Format as_flags(std::string_view set);                                   // xlat::flags_text(set, ...)
Format as_enum(std::string_view set);                                    // xlat::enum_text(set, ...)

// Builds a view's Aggregate. A member the copy does not hold is left out
// and the struct marked elided, as is a verbose-only member without -v.
class ViewBuilder {
 public:
  enum class Shown { kAlways, kVerboseOnly };
  explicit ViewBuilder(const StructReader& r) : r_(r) {}

  ViewBuilder& field(std::string_view member, const Format& format = as_generic, Shown shown = Shown::kAlways);
  ViewBuilder& verbose_field(std::string_view member, const Format& format = as_generic) {
    return field(member, format, Shown::kVerboseOnly);
  }
  Aggregate done() { return std::move(out_); }

 private:
  const StructReader& r_;
  Aggregate out_;
};

// The views, by family; struct_views.cpp maps struct names to them.
Value view_stat(const StructReader& r);
Value view_statx(const StructReader& r);
Value view_statfs(const StructReader& r);
Value view_open_how(const StructReader& r);
Value view_sigaction(const StructReader& r);
Value view_siginfo(const StructReader& r);
Value view_rlimit(const StructReader& r);
Value view_rusage(const StructReader& r);
Value view_utsname(const StructReader& r);
Value view_sysinfo(const StructReader& r);
Value view_sched_param(const StructReader& r);
Value view_clone_args(const StructReader& r);
Value view_pollfd(const StructReader& r);
Value view_epoll_event(const StructReader& r);
Value view_dirent64(const StructReader& r);
Value view_termios(const StructReader& r);
Value view_user_regs(const StructReader& r);

}  // namespace etrace::decode::views
