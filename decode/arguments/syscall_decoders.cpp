#include "decode/arguments/syscall_decoders.h"

#include <map>

#include "decode/arguments/clone_arguments.h"
#include "decode/arguments/dependent_arguments.h"
#include "decode/arguments/payload_values.h"
#include "decode/arguments/poll_results.h"
#include "decode/arguments/return_annotation.h"
#include "decode/arguments/shown_arguments.h"
#include "decode/arguments/sockopt_values.h"

namespace etrace::decode {

const SyscallDecoders* syscall_decoders(std::string_view name) {
  static const std::map<std::string_view, SyscallDecoders> table = {
      {"open", {.shown = open_shown}},
      {"openat", {.shown = openat_shown}},
      {"fcntl",
       {.shown = fcntl_shown, .dependent_arg = 2, .dependent = fcntl_third_argument,
        .annotate_result = annotate_fcntl_result}},
      {"mremap", {.shown = mremap_shown}},
      {"socket", {.dependent_arg = 2, .dependent = socket_protocol_argument}},
      {"socketpair", {.dependent_arg = 2, .dependent = socket_protocol_argument}},
      {"getsockopt",
       {.dependent_arg = 2, .dependent = sockopt_name_argument, .memory_arg = 3, .memory_by_registers = sockopt_value}},
      {"setsockopt",
       {.dependent_arg = 2, .dependent = sockopt_name_argument, .memory_arg = 3, .memory_by_registers = sockopt_value}},
      {"sendto", {.socket_data_arg = 1}},
      {"recvfrom", {.socket_data_arg = 1}},
      {"sendmsg", {.socket_data_arg = 1}},
      {"recvmsg", {.socket_data_arg = 1}},
      {"wait4", {.memory_arg = 1, .memory = wait_status_value}},
      {"rt_sigreturn", {.memory_arg = 0, .memory = sigreturn_frame}},
      {"sched_getaffinity", {.memory_arg = 2, .memory = cpu_set_value}},
      {"sched_setaffinity", {.memory_arg = 2, .memory = cpu_set_value}},
      {"poll", {.annotate_result = annotate_poll_result}},
      {"ppoll", {.annotate_result = annotate_ppoll_result}},
      {"select", {.annotate_result = annotate_select_result}},
      {"pselect6", {.annotate_result = annotate_select_result}},
      {"clone", {.named_arguments = clone_arguments}},
  };
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace etrace::decode
