#include "decode/arguments/payload_values.h"

#include <linux/types.h>

#include <algorithm>
#include <cstring>

#include "decode/values/dirent_view.h"
#include "decode/values/xlat/xlat.h"
#include "format/records.h"

namespace etrace::decode {

int64_t int_at(const std::string& bytes, size_t offset) {
  int32_t v = 0;
  if (bytes.size() >= offset + sizeof(v)) std::memcpy(&v, bytes.data() + offset, sizeof(v));
  return v;
}

std::string fd_list(const std::string& bytes, uint64_t nfds) {
  std::string s = "[";
  for (uint64_t fd = 0; fd < nfds && fd / 8 < bytes.size(); ++fd) {
    if (!(static_cast<uint8_t>(bytes[fd / 8]) >> (fd % 8) & 1)) continue;
    if (s.size() > 1) s += ' ';
    s += std::to_string(fd);
  }
  return s + "]";
}

Value bytes_value(const PayloadItem& item, Bytes::Style style, uint64_t address) {
  if (item.flags & ETRACE_PAYLOAD_NULL) return Pointer{0};
  if (item.flags & ETRACE_PAYLOAD_FAULT) return Unreadable{address};
  Bytes b;
  b.data = item.bytes;
  b.full_length = std::max<uint64_t>(item.full_len, item.bytes.size());
  b.capture_cut = (item.flags & ETRACE_PAYLOAD_CUT) != 0;
  b.style = style;
  return b;
}

Value iovecs(const std::vector<const PayloadItem*>& items, uint64_t address, size_t limit,
             std::optional<uint64_t> transferred, const DataDecoder& data) {
  List l;
  for (const PayloadItem* it : items) {
    if (it->flags & ETRACE_PAYLOAD_MORE) {
      l.more = true;
      continue;
    }
    if ((it->flags & ETRACE_PAYLOAD_FAULT) && it->bytes.empty() && it->full_len == 0)
      return l.items.empty() ? Value(Unreadable{address}) : Value(l);
    if (l.items.size() == limit) {
      l.more = true;
      break;
    }
    // The item's full_len is the buffer's size (iov_len); what it holds is
    // at most what is left of the transfer.
    Value base = bytes_value(*it, Bytes::Style::kBuffer, 0);
    if (auto* b = std::get_if<Bytes>(&base); b && transferred) {
      const uint64_t filled = std::min<uint64_t>(it->full_len, *transferred);
      *transferred -= filled;
      b->full_length = filled;
      b->capture_cut = b->data.size() < filled;
    }
    if (const auto* b = std::get_if<Bytes>(&base); b && data)
      if (auto decoded = data(*b)) base = std::move(*decoded);
    Aggregate a;
    a.fields.push_back({"iov_base", std::move(base)});
    a.fields.push_back({"iov_len", UnsignedInt{it->full_len}});
    l.items.push_back(std::move(a));
  }
  return l;
}

std::optional<Value> dirents_value(const PayloadItem& item, uint64_t address, bool verbose) {
  if (item.flags & (ETRACE_PAYLOAD_FAULT | ETRACE_PAYLOAD_NULL)) return std::nullopt;
  if (item.flags & ETRACE_PAYLOAD_CUT && !verbose) return Pointer{address};
  return render_dirents64(address, item.bytes, verbose);
}

std::optional<Value> wait_status_value(const PayloadItem& item, uint64_t, bool) {
  const int64_t status = int_at(item.bytes);
  return Symbolic{status, xlat::wait_status_text(static_cast<int32_t>(status))};
}

}  // namespace etrace::decode
