#include "decode/values/dirent_view.h"

#include <cstring>
#include <string>

#include "decode/values/struct_view_kit.h"
#include "decode/values/struct_views.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode {

namespace views {

Value view_dirent64(const StructReader& r) {
  ViewBuilder b(r);
  b.field("d_ino").field("d_off").field("d_reclen").field("d_type", as_enum("dirent_type")).field("d_name");
  return b.done();
}

}  // namespace views

namespace {

// struct linux_dirent64's fixed part (include/linux/dirent.h).
constexpr size_t kInoAt = 0;
constexpr size_t kOffAt = 8;
constexpr size_t kReclenAt = 16;
constexpr size_t kTypeAt = 18;
constexpr size_t kNameAt = 19;

template <typename T>
T read_at(std::string_view entry, size_t at) {
  T v{};
  std::memcpy(&v, entry.data() + at, sizeof(v));
  return v;
}

// One entry, as strace -v prints it: the name up to its NUL.
Aggregate entry_value(std::string_view entry) {
  Aggregate a;
  a.fields.push_back({"d_ino", UnsignedInt{read_at<uint64_t>(entry, kInoAt)}});
  a.fields.push_back({"d_off", SignedInt{read_at<int64_t>(entry, kOffAt)}});
  a.fields.push_back({"d_reclen", UnsignedInt{read_at<uint16_t>(entry, kReclenAt), 16}});
  const auto type = static_cast<uint8_t>(entry[kTypeAt]);
  a.fields.push_back({"d_type", Symbolic{type, xlat::enum_text("dirent_type", type), false, 8}});
  std::string_view name = entry.substr(kNameAt);
  name = name.substr(0, std::min(name.find('\0'), name.size()));
  Bytes b;
  b.data = std::string(name);
  b.full_length = name.size();
  b.style = Bytes::Style::kPath;
  a.fields.push_back({"d_name", std::move(b)});
  return a;
}

}  // namespace

Value render_dirents64(uint64_t address, std::string_view bytes, bool verbose) {
  List entries;
  uint64_t count = 0;
  size_t at = 0;
  while (at < bytes.size()) {
    // Each entry says its own length; one too short for its fixed part, or
    // longer than the copy, ends the walk rather than loop or read past it.
    if (at + kNameAt > bytes.size()) break;
    const size_t len = read_at<uint16_t>(bytes.substr(at), kReclenAt);
    if (len < kNameAt || at + len > bytes.size()) break;
    ++count;
    if (verbose) entries.items.push_back(entry_value(bytes.substr(at, len)));
    at += len;
  }
  if (verbose) {
    entries.more = at < bytes.size();
    return entries;
  }
  return dirents_count(address, count);
}

Value dirents_count(uint64_t address, uint64_t count, bool at_least) {
  return Symbolic{static_cast<int64_t>(address),
                  hex_string(address) + " /* " + std::to_string(count) + (at_least ? "+" : "") + " entries */"};
}

}  // namespace etrace::decode
