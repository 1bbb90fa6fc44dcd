#include "decode/arguments/msghdr_value.h"

#include <linux/types.h>

#include <algorithm>
#include <cstring>

#include "decode/arguments/payload_values.h"
#include "decode/values/xlat/sockaddr.h"
#include "decode/values/xlat/xlat.h"
#include "format/records.h"

namespace etrace::decode {
namespace {

// struct user_msghdr on x86-64 (its layout is ABI).
struct MsghdrLayout {
  uint64_t name;
  int32_t namelen;
  int32_t pad;
  uint64_t iov;
  uint64_t iovlen;
  uint64_t control;
  uint64_t controllen;
  uint32_t flags;
};

}  // namespace

Value msghdr_value(const std::vector<const PayloadItem*>& items, uint64_t address, size_t limit,
                   std::optional<uint64_t> transferred, const DataDecoder& data) {
  if (items.empty()) return Pointer{address};
  const PayloadItem& head = *items[0];
  if (head.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT)) return bytes_value(head, Bytes::Style::kBuffer, address);
  MsghdrLayout m{};
  if (head.bytes.size() < offsetof(MsghdrLayout, flags) + sizeof(m.flags)) return Pointer{address};
  std::memcpy(&m, head.bytes.data(), sizeof(m));

  Aggregate a;
  Value name = Pointer{m.name};
  // The capture reads a sockaddr_storage's worth; msg_namelen's bytes are the address.
  if (items.size() > 1 && m.name && !(items[1]->flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT)))
    name = xlat::sockaddr_value(items[1]->bytes.substr(0, std::min<size_t>(items[1]->full_len, m.namelen > 0 ? m.namelen : 0)));
  a.fields.push_back({"msg_name", std::move(name)});
  a.fields.push_back({"msg_namelen", SignedInt{m.namelen}});
  const std::vector<const PayloadItem*> iov(items.begin() + std::min<size_t>(2, items.size()), items.end());
  a.fields.push_back({"msg_iov", m.iov ? iovecs(iov, m.iov, limit, transferred, data) : Value(Pointer{0})});
  a.fields.push_back({"msg_iovlen", UnsignedInt{m.iovlen}});
  if (m.controllen) a.fields.push_back({"msg_control", Pointer{m.control}});
  a.fields.push_back({"msg_controllen", UnsignedInt{m.controllen}});
  a.fields.push_back({"msg_flags", Symbolic{m.flags, xlat::flags_text("msg", m.flags)}});
  return a;
}

}  // namespace etrace::decode
