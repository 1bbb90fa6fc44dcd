#include "decode/dirent_view.h"

#include <string>

#include "decode/struct_view_kit.h"
#include "decode/struct_views.h"

namespace etrace::decode {

namespace views {

Value view_dirent64(const StructReader& r) {
  ViewBuilder b(r);
  b.field("d_ino").field("d_off").field("d_reclen").field("d_type", as_enum("dirent_type")).field("d_name");
  return b.done();
}

}  // namespace views

Value render_dirents64(const BtfTypes& types, uint64_t address, std::string_view bytes, bool verbose) {
  const auto id = types.find_type("linux_dirent64");
  const auto reclen = id ? types.member(*id, "d_reclen") : std::nullopt;
  if (!id || !reclen) return Pointer{address};
  const uint64_t reclen_at = reclen->bit_offset / 8;

  List entries;
  uint64_t count = 0;
  uint64_t at = 0;
  while (at < bytes.size()) {
    // Each entry says its own length; a zero or overlong one ends the walk
    // rather than loop or read past the copy.
    if (at + reclen_at + 2 > bytes.size()) break;
    const uint64_t len = static_cast<uint8_t>(bytes[at + reclen_at]) |
                         uint64_t{static_cast<uint8_t>(bytes[at + reclen_at + 1])} << 8;
    if (len == 0 || at + len > bytes.size()) break;
    ++count;
    if (verbose) entries.items.push_back(render_struct(types, *id, bytes.substr(at, len), {.verbose = true}));
    at += len;
  }
  if (verbose) {
    entries.more = at < bytes.size();
    return entries;
  }
  return Symbolic{static_cast<int64_t>(address), hex_string(address) + " /* " + std::to_string(count) + " entries */"};
}

}  // namespace etrace::decode
