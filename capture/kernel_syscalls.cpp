#include "capture/kernel_syscalls.h"

#include <dirent.h>

#include <set>
#include <utility>

#include "catalog/syscall_names.h"

namespace etrace::capture {

namespace {

// The syscall numbers of the linux-libc-dev headers etrace was built with.
constexpr std::pair<unsigned, const char*> kHeaderSyscalls[] = {
#include "syscall_numbers_x86_64.inc"
};

// x86-64 syscalls added after the oldest headers etrace builds with (Debian
// 12's linux-libc-dev 6.1). Syscall numbers are never reused, so an entry
// the headers also list is simply the same fact twice.
constexpr std::pair<unsigned, const char*> kLaterSyscalls[] = {
    {335, "uretprobe"},     {336, "uprobe"},           {451, "cachestat"},         {452, "fchmodat2"},
    {453, "map_shadow_stack"}, {454, "futex_wake"},    {455, "futex_wait"},        {456, "futex_requeue"},
    {457, "statmount"},     {458, "listmount"},        {459, "lsm_get_self_attr"}, {460, "lsm_set_self_attr"},
    {461, "lsm_list_modules"}, {462, "mseal"},         {463, "setxattrat"},        {464, "getxattrat"},
    {465, "listxattrat"},   {466, "removexattrat"},    {467, "open_tree_attr"},    {468, "file_getattr"},
    {469, "file_setattr"},
};

std::set<std::string> syscall_tracepoints(const Tracefs& tracefs) {
  std::set<std::string> out;
  DIR* dir = opendir((tracefs.root() + "/events/syscalls").c_str());
  if (!dir) return out;
  while (dirent* e = readdir(dir)) {
    std::string name = e->d_name;
    if (name.rfind("sys_enter_", 0) == 0) out.insert(name.substr(10));
  }
  closedir(dir);
  return out;
}

}  // namespace

format::SyscallTable read_kernel_syscalls(const Tracefs& tracefs, std::vector<std::string>& warnings) {
  format::SyscallTable table;
  table.source = "x86-64 UAPI headers and etrace's list of later syscalls";
  for (const auto& [nr, name] : kHeaderSyscalls) table.names[nr] = name;
  for (const auto& [nr, name] : kLaterSyscalls) table.names[nr] = name;

  std::set<std::string> tracepoints = syscall_tracepoints(tracefs);
  std::set<std::string> claimed;
  for (const auto& [nr, name] : table.names) {
    const std::string event = catalog::tracepoint_event(name);
    if (tracepoints.count(event)) {
      table.events[nr] = event;
      claimed.insert(event);
    }
  }
  for (const auto& tp : tracepoints)
    if (!claimed.count(tp))
      warnings.push_back("this kernel has a syscall '" + tp + "' whose number etrace does not know; its calls show as syscall_NNN");
  return table;
}

}  // namespace etrace::capture
