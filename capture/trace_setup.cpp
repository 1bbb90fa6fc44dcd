#include "capture/trace_setup.h"

#include <utility>

#include "capture/copy_plan.h"
#include "capture/kernel_syscalls.h"
#include "capture/library_selection.h"
#include "capture/targets.h"
#include "catalog/syscall_names.h"
#include "catalog/syscall_selection.h"

namespace etrace::capture {

namespace {

// What every load of the kernel side takes from the options as they are.
TraceConfig loading_config(const Options& opt) {
  TraceConfig config;
  config.buffer_bytes = opt.buffer_bytes;
  config.verbose = opt.verbose;
  return config;
}

// The syscalls `nrs` of `table` and their copy plans, structs sized by `btf`
// (none without it): the step --check shares with a capture, so that it
// loads the plans a capture loads.
void plan_syscalls(const Options& opt, const format::SyscallTable& table, std::vector<uint32_t> nrs,
                   const KernelBtf& btf, TraceConfig& config, std::vector<std::string>& warnings) {
  config.syscalls = std::move(nrs);
  config.plans = derive_copy_plans(table, btf.get(), CopyCaps{opt.bytes, opt.string_limit}, warnings);
}

// The syscalls and what to copy of them, the command names, whether to
// follow children.
void choose_syscalls(const Options& opt, TraceSetup& setup, std::vector<std::string>& warnings) {
  TraceConfig& config = setup.config;
  config.trace_all = opt.pids.empty() && opt.comms.empty() && opt.command.empty();
  config.follow = opt.follow;
  for (const char* exec : {"execve", "execveat"})
    if (auto nr = catalog::find_syscall(setup.table, exec)) config.exec_syscalls.push_back(*nr);
  config.comms = kernel_comms(opt.comms, warnings);
  if (auto btf = load_kernel_btf()) setup.btf = std::move(*btf);
  else warnings.push_back(btf.error().message + "; structs are not copied, and the file carries no BTF");
  plan_syscalls(opt, setup.table, setup.chosen, setup.btf, config, warnings);
}

// --cgroup and --container, resolved under the cgroup v2 mount.
Result<void> find_cgroups(const Options& opt, TraceSetup& setup) {
  const std::optional<std::string> root = cgroup2_root();
  if (!root && !(opt.cgroups.empty() && opt.containers.empty()))
    return Error{"--cgroup and --container need the cgroup v2 hierarchy, which is not mounted here"};
  setup.cgroup_root = root.value_or("");
  for (const auto& arg : opt.cgroups) {
    auto cgroup = resolve_cgroup(setup.cgroup_root, arg);
    if (!cgroup) return cgroup.error();
    setup.cgroups.push_back(*cgroup);
  }
  for (const auto& id : opt.containers) {
    auto cgroup = resolve_container(setup.cgroup_root, id);
    if (!cgroup) return cgroup.error();
    setup.cgroups.push_back(*cgroup);
  }
  for (const auto& c : setup.cgroups) setup.config.cgroup_dirs.push_back(c.dir);
  return {};
}

// -p: the processes the threads named belong to.
Result<void> find_processes(const Options& opt, TraceSetup& setup) {
  for (uint32_t pid : opt.pids) {
    auto tgid = process_of(pid);
    if (!tgid) return tgid.error();
    setup.tgids.push_back(*tgid);
  }
  return {};
}

// --lib: the library functions to trace in the -p processes (in the
// command's, they are looked up where its dynamic linker would find them),
// with their copy plans.
Result<void> choose_library_functions(const Options& opt, TraceSetup& setup, std::vector<std::string>& warnings) {
  if (opt.libs.empty()) return {};
  std::vector<LibrarySpec> specs;
  for (const auto& text : opt.libs) {
    auto spec = parse_library_spec(text);
    if (!spec) return spec.error();
    specs.push_back(std::move(*spec));
  }
  auto selection = select_library_functions(specs, setup.tgids, warnings);
  if (!selection) return selection.error();
  TraceConfig& config = setup.config;
  config.libraries = std::move(selection->table);
  config.library_paths = std::move(selection->open_paths);
  // Return probes return through the kernel's uretprobe syscall (x86-64,
  // Linux 6.11+): a call of our making, not of the program's.
  if (auto nr = catalog::find_syscall(setup.table, "uretprobe"); nr && !config.libraries.functions.empty())
    std::erase(config.syscalls, *nr);
  return {};
}

}  // namespace

Result<TraceSetup> set_up_trace(const Options& opt, const Capabilities& caps, std::vector<std::string>& warnings) {
  auto tracefs = Tracefs::open();
  if (!tracefs) return tracefs.error();
  if (auto readable = can_read_tracefs(tracefs->root(), caps); !readable) return readable.error();
  TraceSetup setup(std::move(*tracefs));
  setup.table = read_kernel_syscalls(setup.tracefs, warnings);
  auto chosen = catalog::select_syscalls(setup.table, catalog::all_semantics(), opt.syscalls);
  if (!chosen) return chosen.error();
  setup.chosen = std::move(*chosen);
  setup.config = loading_config(opt);
  choose_syscalls(opt, setup, warnings);
  if (auto found = find_cgroups(opt, setup); !found) return found.error();
  if (auto found = find_processes(opt, setup); !found) return found.error();
  if (auto chosen_functions = choose_library_functions(opt, setup, warnings); !chosen_functions)
    return chosen_functions.error();
  return setup;
}

TraceConfig check_config(const Options& opt, const KernelFeatures& kernel) {
  TraceConfig config = loading_config(opt);
  config.trace_all = true;
  config.load_library_programs = kernel.library_calls();
  config.verifier_log_level = 4;  // the verifier's statistics
  if (auto tracefs = Tracefs::open()) {
    std::vector<std::string> ignored;
    const format::SyscallTable table = read_kernel_syscalls(*tracefs, ignored);
    std::vector<uint32_t> every;
    for (const auto& [nr, name] : table.names) every.push_back(nr);
    auto btf = load_kernel_btf();
    plan_syscalls(opt, table, std::move(every), btf ? std::move(*btf) : KernelBtf(), config, ignored);
  }
  return config;
}

}  // namespace etrace::capture
