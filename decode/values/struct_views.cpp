#include "decode/values/struct_views.h"

#include <utility>

#include "decode/values/struct_view_kit.h"

namespace etrace::decode {
namespace {

using View = Value (*)(const views::StructReader&);

// Kernel BTF names; several names share one layout. Structs strace writes
// exactly as the generic rendering does (timespec, timeval, itimerspec,
// timezone, iovec) need no view.
constexpr std::pair<std::string_view, View> kViews[] = {
    {"stat", views::view_stat},
    {"statx", views::view_statx},
    {"statfs", views::view_statfs},
    {"statfs64", views::view_statfs},
    {"open_how", views::view_open_how},
    {"sigaction", views::view_sigaction},
    {"siginfo", views::view_siginfo},
    {"rlimit", views::view_rlimit},
    {"rlimit64", views::view_rlimit},
    {"rusage", views::view_rusage},
    {"new_utsname", views::view_utsname},
    {"sysinfo", views::view_sysinfo},
    {"sched_param", views::view_sched_param},
    {"clone_args", views::view_clone_args},
    {"pollfd", views::view_pollfd},
    {"epoll_event", views::view_epoll_event},
    {"linux_dirent64", views::view_dirent64},
    {"termios", views::view_termios},
    {"user_regs_struct", views::view_user_regs},
};

}  // namespace

Value render_struct(const BtfTypes& types, uint32_t id, std::string_view bytes, ViewOptions options) {
  const std::string_view name = types.struct_name(id);
  for (const auto& [view_name, view] : kViews) {
    if (view_name == name) return view(views::StructReader(types, id, bytes, options));
  }
  return types.render(id, bytes);
}

List render_struct_array(const BtfTypes& types, uint32_t id, std::string_view bytes, uint64_t count, bool more,
                         ViewOptions options) {
  List out;
  out.more = more;
  const uint64_t size = types.size_of(id).value_or(0);
  if (size == 0) return out;
  for (uint64_t i = 0; i < count; ++i) {
    if ((i + 1) * size > bytes.size()) {
      out.more = true;
      break;
    }
    out.items.push_back(render_struct(types, id, bytes.substr(i * size, size), options));
  }
  return out;
}

}  // namespace etrace::decode
