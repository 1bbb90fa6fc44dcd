// strace's layouts of the polling structs: pollfd, epoll_event.
#include "decode/values/struct_view_kit.h"

namespace etrace::decode::views {

// At entry the events asked for (none for a negative fd, which poll
// ignores); at exit the events that happened.
Value view_pollfd(const StructReader& r) {
  ViewBuilder b(r);
  b.field("fd", as_descriptor);
  if (r.options().at_exit) {
    b.field("revents", as_flags("poll"));
  } else if (r.sint("fd") >= 0) {
    b.field("events", as_flags("poll"));
  }
  return b.done();
}

// The kernel's epoll_data is one __u64; strace shows it as the union user
// space declares, through its u32 and u64 members.
Value view_epoll_event(const StructReader& r) {
  ViewBuilder b(r);
  b.field("events", as_flags("epoll_events"));
  b.field("data", [](const StructReader& s, std::string_view member) -> Value {
    const uint64_t v = s.uint(member);
    Aggregate data;
    data.fields.push_back({"u32", UnsignedInt{v & 0xffffffffu, 32}});
    data.fields.push_back({"u64", UnsignedInt{v, 64}});
    return data;
  });
  return b.done();
}

}  // namespace etrace::decode::views
