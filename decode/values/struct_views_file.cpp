// strace's layouts of the file-system structs: stat, statx, statfs, open_how.
#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <string>

#include "decode/values/struct_view_kit.h"
#include "decode/values/xlat/constant_table.h"

namespace etrace::decode::views {
namespace {

// A time in seconds followed by strace's comment, "1700000000 /*
// 2023-11-14T22:13:20.123456789+0000 */". strace writes the comment in
// its own time zone; a capture is decoded anywhere, so it is UTC here. No
// comment for a zero time or nanoseconds out of range, as strace does.
Format as_time_with_nsec(std::string_view nsec_member) {
  return [nsec_member](const StructReader& r, std::string_view member) -> Value {
    const int64_t sec = r.sint(member);
    const uint64_t nsec = r.uint(nsec_member);
    std::string text = std::to_string(sec);
    const time_t t = static_cast<time_t>(sec);
    struct tm tm {};
    char date[64];
    if ((sec != 0 || nsec != 0) && nsec < 1000000000 && gmtime_r(&t, &tm) != nullptr &&
        std::strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) != 0) {
      text += " /* ";
      text += date;
      if (nsec != 0) {
        char frac[16];
        std::snprintf(frac, sizeof(frac), ".%09u", static_cast<unsigned>(nsec));
        text += frac;
      }
      text += "+0000 */";
    }
    return Symbolic{sec, text, false, r.bits(member)};
  };
}

// statx_timestamp: strace shows the seconds and nanoseconds, not the padding.
Value as_statx_time(const StructReader& r, std::string_view member) {
  const auto ts = r.nested(member);
  ViewBuilder b(*ts);
  b.field("tv_sec").field("tv_nsec");
  return b.done();
}

// __kernel_fsid_t: both words in hex as C's %#x writes them, "{val=[0xd, 0]}".
Value as_fsid(const StructReader& r, std::string_view member) {
  const std::string_view raw = *r.raw(member);
  List words;
  for (size_t at = 0; at + 4 <= raw.size(); at += 4) {
    uint32_t w = 0;
    for (size_t i = 0; i < 4; ++i) w |= uint32_t{static_cast<uint8_t>(raw[at + i])} << (8 * i);
    words.items.push_back(Symbolic{w, hex_string(w), false, 32});
  }
  Aggregate fsid;
  fsid.fields.push_back({"val", std::move(words)});
  return fsid;
}

}  // namespace

Value view_stat(const StructReader& r) {
  ViewBuilder b(r);
  b.verbose_field("st_dev", as_dev).verbose_field("st_ino").field("st_mode", as_file_mode);
  b.verbose_field("st_nlink").verbose_field("st_uid").verbose_field("st_gid");
  b.verbose_field("st_blksize").verbose_field("st_blocks");
  // Devices have a device number where files have a size.
  const uint64_t type = r.uint("st_mode") & S_IFMT;
  if (r.present("st_mode") && (type == S_IFCHR || type == S_IFBLK)) {
    b.field("st_rdev", as_dev);
  } else {
    b.field("st_size");
  }
  b.verbose_field("st_atime", as_time_with_nsec("st_atime_nsec")).verbose_field("st_atime_nsec");
  b.verbose_field("st_mtime", as_time_with_nsec("st_mtime_nsec")).verbose_field("st_mtime_nsec");
  b.verbose_field("st_ctime", as_time_with_nsec("st_ctime_nsec")).verbose_field("st_ctime_nsec");
  return b.done();
}

Value view_statx(const StructReader& r) {
  const uint64_t mask = r.uint("stx_mask");
  ViewBuilder b(r);
  b.field("stx_mask", as_flags("statx_mask")).verbose_field("stx_blksize");
  b.field("stx_attributes", as_flags("statx_attr"));
  b.verbose_field("stx_nlink").verbose_field("stx_uid").verbose_field("stx_gid");
  b.field("stx_mode", as_file_mode).verbose_field("stx_ino").field("stx_size").verbose_field("stx_blocks");
  b.verbose_field("stx_attributes_mask", as_flags("statx_attr"));
  b.verbose_field("stx_atime", as_statx_time);
  if (mask & STATX_BTIME) b.verbose_field("stx_btime", as_statx_time);
  b.verbose_field("stx_ctime", as_statx_time).verbose_field("stx_mtime", as_statx_time);
  b.verbose_field("stx_rdev_major").verbose_field("stx_rdev_minor");
  b.verbose_field("stx_dev_major").verbose_field("stx_dev_minor");
  if (mask & STATX_MNT_ID) b.verbose_field("stx_mnt_id", as_hex);
  return b.done();
}

Value view_statfs(const StructReader& r) {
  ViewBuilder b(r);
  b.field("f_type", as_enum("fsmagic"));
  for (std::string_view m : {"f_bsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree"}) b.field(m);
  b.field("f_fsid", as_fsid).field("f_namelen").field("f_frsize").field("f_flags", as_flags("statfs_flags"));
  return b.done();
}

Value view_open_how(const StructReader& r) {
  ViewBuilder b(r);
  b.field("flags", as_flags("open"));
  // The mode matters only when a file may be created; strace shows it then,
  // or when it is set anyway.
  constexpr uint64_t kCreates = O_CREAT | (O_TMPFILE & ~O_DIRECTORY);
  if ((r.uint("flags") & kCreates) != 0 || r.uint("mode") != 0) b.field("mode", as_mode);
  b.field("resolve", as_flags("resolve"));
  return b.done();
}

}  // namespace etrace::decode::views
