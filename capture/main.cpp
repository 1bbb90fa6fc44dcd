// etrace-capture: records syscalls with eBPF into a capture file.
// Lifecycle: resolve targets -> load -> filter -> attach -> poll -> drain ->
// trailer. Errors are one sentence on stderr and a non-zero exit; whatever
// was captured before an error stays a readable file.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/types.h>

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

#include "bpf/map_layouts.h"
#include "capture/btf_subset.h"
#include "capture/capture_writer.h"
#include "capture/cgroup_filter.h"
#include "capture/closing_table.h"
#include "capture/context_snapshot.h"
#include "capture/copy_plan.h"
#include "capture/descriptor_snapshot.h"
#include "capture/held_command.h"
#include "capture/host_facts.h"
#include "capture/kernel_check.h"
#include "capture/kernel_features.h"
#include "capture/kernel_btf.h"
#include "capture/kernel_syscalls.h"
#include "capture/library_selection.h"
#include "capture/options.h"
#include "capture/output_file.h"
#include "capture/privileges.h"
#include "capture/status_line.h"
#include "capture/targets.h"
#include "capture/tracefs.h"
#include "capture/tracer.h"
#include "catalog/syscall_names.h"
#include "catalog/syscall_selection.h"
#include "format/records.h"

namespace etrace::capture {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;

// How long records may sit in the ring buffer below the wakeup watermark.
constexpr int kDrainIntervalMs = 50;

void on_stop_signal(int sig) { g_stop_signal = sig; }

// libbpf explains a failed load over many lines; our one-line error says
// what matters, and -v shows libbpf's account as well.
int print_libbpf(enum libbpf_print_level level, const char* format, va_list args) {
  return level == LIBBPF_DEBUG ? 0 : std::vfprintf(stderr, format, args);
}

void quiet_libbpf(bool verbose) {
  libbpf_set_print(verbose ? print_libbpf : nullptr);
}

int fail(const std::string& message) {
  std::cerr << "etrace-capture: " << message << "\n";
  return 1;
}

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);  // no SA_RESTART: poll() returns at once
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a closed reader shows up as EPIPE from write()
  // Stoppable even when started with them blocked (the command gets the
  // mask it was given back: InheritedState).
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigprocmask(SIG_UNBLOCK, &stop, nullptr);
}

format::TracepointFormats read_formats(const Tracefs& tracefs, const format::SyscallTable& table,
                                       const std::vector<uint32_t>& nrs) {
  format::TracepointFormats out;
  for (uint32_t nr : nrs) {
    auto it = table.events.find(nr);
    if (it == table.events.end()) continue;
    for (const char* dir : {"sys_enter_", "sys_exit_"}) {
      std::string event = dir + it->second;
      if (auto text = tracefs.format("syscalls", event)) out.formats[event] = *text;
    }
  }
  return out;
}

// Where capture stops, and why.
struct Stop {
  std::string reason;
  std::optional<int> command_status;  // wait(2) status, in run-a-command mode
};

Stop poll_until_stop(Tracer& tracer, CaptureWriter& writer, HeldCommand* command, uint64_t deadline_ns,
                     StatusLine& status) {
  Stop stop;
  while (stop.reason.empty()) {
    if (tracer.poll(kDrainIntervalMs) < 0) stop.reason = "ring buffer error";
    const uint64_t now = monotonic_ns();
    writer.flush_if_due(now);
    status.update(tracer, writer, now);
    int wait_status;
    if (command && command->reap(wait_status)) {
      stop.command_status = wait_status;
      stop.reason = "command exited";
    } else if (g_stop_signal) {
      stop.reason = std::string("signal ") + sigabbrev_np(g_stop_signal);
    } else if (deadline_ns && now >= deadline_ns) {
      stop.reason = "duration elapsed";
    } else if (writer.event_limit_reached()) {
      stop.reason = "event limit reached";
    } else if (writer.size_limit_reached()) {
      stop.reason = "size limit reached";
    } else if (!writer.error().empty()) {
      stop.reason = writer.disk_full() ? "disk full" : "write error";
    }
  }
  return stop;
}

// The kernel's loss counts, cumulative since tracing started.
void add_losses(const Tracer& tracer, format::CaptureStats& stats) {
  KernelLoss loss = tracer.losses();
  for (const auto& [nr, n] : loss.by_syscall) stats.syscalls[nr].lost = n;
  for (const auto& [index, n] : loss.by_function) stats.functions[index].lost = n;
  stats.process_records.lost = loss.process_records;
  stats.cpus = loss.by_cpu;
  stats.hook_misses = loss.hook_misses;
}

// The trailer of the last file: why capture stopped, and the losses.
format::CaptureStats final_stats(const Tracer& tracer, const Stop& stop) {
  format::CaptureStats stats;
  stats.end_ns = monotonic_ns();
  stats.stop_reason = stop.reason;
  stats.command_status = stop.command_status;
  add_losses(tracer, stats);
  return stats;
}

// The whole capture's counts, for the closing table: every file's records.
format::CaptureStats capture_totals(format::CaptureStats stats, const CaptureWriter& writer) {
  for (const auto& [nr, n] : writer.written_by_syscall()) stats.syscalls[nr].written = n;
  for (const auto& [index, n] : writer.written_by_function()) stats.functions[index].written = n;
  stats.process_records.written = writer.written_process_records();
  return stats;
}

// --cgroup and --container, resolved under the cgroup v2 mount.
std::optional<std::vector<CgroupTarget>> cgroup_targets(const Options& opt, const std::string& root,
                                                        std::string& error) {
  std::vector<CgroupTarget> out;
  for (const auto& arg : opt.cgroups) {
    auto t = resolve_cgroup(root, arg, error);
    if (!t) return std::nullopt;
    out.push_back(*t);
  }
  for (const auto& id : opt.containers) {
    auto t = resolve_container(root, id, error);
    if (!t) return std::nullopt;
    out.push_back(*t);
  }
  return out;
}

// etrace-capture exits as the command did, as a shell reports it.
int exit_code_of(const Stop& stop) {
  if (!stop.command_status) return 0;
  if (WIFEXITED(*stop.command_status)) return WEXITSTATUS(*stop.command_status);
  if (WIFSIGNALED(*stop.command_status)) return 128 + WTERMSIG(*stop.command_status);
  return 0;
}

// --list-libs: the shared objects of a process, with their exported functions.
int list_libraries(uint32_t pid) {
  std::string error;
  auto rows = list_mapped_libraries(pid, error);
  if (!rows) return fail(error);
  std::printf("%9s  %-28s %s\n", "functions", "soname", "path");
  for (const auto& r : *rows) std::printf("%9zu  %-28s %s\n", r.functions, r.soname.c_str(), r.path.c_str());
  return 0;
}

// Library functions the kernel would not probe, named (the first few).
void warn_refused(const std::vector<uint32_t>& refused, const format::LibraryTable& libraries) {
  if (refused.empty()) return;
  std::string names;
  for (size_t i = 0; i < refused.size() && i < 8; ++i) names += (i ? ", " : "") + libraries.functions.at(refused[i]).name;
  if (refused.size() > 8) names += ", ...";
  std::cerr << "etrace-capture: warning: the kernel cannot probe " << refused.size()
            << " of the library functions (their first instruction is one uprobes cannot step over), which are "
            << "not traced: " << names << "\n";
}

// --lib: the library functions to trace in processes `tgids` (none in
// run-a-command mode), with their copy plans.
bool choose_library_functions(const Options& opt, const std::vector<uint32_t>& tgids, TraceConfig& config,
                              std::vector<std::string>& warnings, std::string& error) {
  if (opt.libs.empty()) return true;
  std::vector<LibrarySpec> specs;
  for (const auto& text : opt.libs) {
    auto spec = parse_library_spec(text, error);
    if (!spec) return false;
    specs.push_back(std::move(*spec));
  }
  auto selection = select_library_functions(specs, tgids, warnings, error);
  if (!selection) return false;
  config.libraries = std::move(selection->table);
  config.library_paths = std::move(selection->open_paths);
  return true;
}

// --check: loads every program as a capture of the whole system would
// (library-call programs too, where the kernel can run them), and reports.
int check_kernel(const Options& opt) {
  const KernelFeatures kernel = probe_kernel_features();
  CheckResult result{kernel, nullptr, "", 0};
  std::unique_ptr<Tracer> tracer;
  if (kernel.missing().empty()) {
    std::string error;
    std::vector<std::string> warnings;
    auto tracefs = Tracefs::open(error);
    TraceConfig config;
    config.trace_all = true;
    config.buffer_bytes = opt.buffer_bytes;
    if (tracefs) {
      const auto table = read_kernel_syscalls(*tracefs, warnings);
      for (const auto& [nr, name] : table.names) config.syscalls.push_back(nr);
      KernelBtf btf = load_kernel_btf(error);
      config.plans = derive_copy_plans(table, btf.get(), CopyCaps{opt.bytes, opt.string_limit}, warnings);
    }
    config.load_library_programs = kernel.library_calls();
    config.verifier_log_level = 4;  // the verifier's statistics
    config.verbose = opt.verbose;
    tracer = Tracer::load(config, kernel, [](std::span<const uint8_t>) {}, result.load_error);
    if (tracer) result.flush_error = tracer->try_flush();
    result.tracer = tracer.get();
  }
  return print_check_report(std::cout, result);
}

// What became of the command when the capture stopped before it ended, for
// the closing line: "" when it had ended.
std::string command_fate(const HeldCommand* command, bool left, size_t killed) {
  if (!command || !left) return "";
  const std::string pid = std::to_string(command->pid());
  if (killed > 1)
    return "; the command (pid " + pid + ") and the " + std::to_string(killed - 1) +
           " processes it started were killed (--kill-on-exit)";
  if (killed) return "; the command (pid " + pid + ") was killed (--kill-on-exit)";
  return "; the command (pid " + pid + ") goes on running, no longer traced (--kill-on-exit stops it with the capture)";
}

int run(const Options& opt, const InheritedState& inherited) {
  if (opt.list_libs) return list_libraries(opt.pids.front());
  const Capabilities caps = Capabilities::of_this_process();
  if (auto missing = missing_for_tracing(caps)) return fail(*missing);
  if (opt.check) return check_kernel(opt);

  const KernelFeatures kernel = probe_kernel_features();
  if (auto missing = kernel.missing(); !missing.empty())
    return fail("this kernel lacks " + missing + ", which etrace-capture needs");
  if (!opt.libs.empty() && !kernel.library_calls()) return fail(kernel.library_calls_missing());

  // A command that cannot be found fails as a shell's does, before anything starts.
  std::string command_file;
  if (!opt.command.empty()) {
    auto found = command_path(opt.command[0]);
    if (!found) {
      std::cerr << "etrace-capture: " << found.error().message << "\n";
      return 127;
    }
    command_file = *found;
  }

  std::string error;
  auto tracefs = Tracefs::open(error);
  if (!tracefs) return fail(error);
  if (auto why = tracefs_unreadable(tracefs->root(), caps)) return fail(*why);
  std::vector<std::string> warnings;
  auto table = read_kernel_syscalls(*tracefs, warnings);
  auto nrs = catalog::select_syscalls(table, catalog::all_semantics(), opt.syscalls);
  if (!nrs) return fail(nrs.error().message);

  TraceConfig config;
  config.trace_all = opt.pids.empty() && opt.comms.empty() && opt.command.empty();
  config.follow = opt.follow;
  config.syscalls = *nrs;
  for (const char* exec : {"execve", "execveat"})
    if (auto nr = catalog::find_syscall(table, exec)) config.exec_syscalls.push_back(*nr);
  config.comms = kernel_comms(opt.comms, warnings);
  config.buffer_bytes = opt.buffer_bytes;
  KernelBtf btf = load_kernel_btf(error);
  if (!btf) warnings.push_back(error + "; structs are not copied, and the file carries no BTF");
  config.plans = derive_copy_plans(table, btf.get(), CopyCaps{opt.bytes, opt.string_limit}, warnings);

  const std::optional<std::string> cgroup_root = cgroup2_root();
  if (!cgroup_root && !(opt.cgroups.empty() && opt.containers.empty()))
    return fail("--cgroup and --container need the cgroup v2 hierarchy, which is not mounted here");
  auto cgroups = cgroup_targets(opt, cgroup_root.value_or(""), error);
  if (!cgroups) return fail(error);
  for (const auto& c : *cgroups) config.cgroup_dirs.push_back(c.dir);

  std::vector<uint32_t> tgids;
  for (uint32_t pid : opt.pids) {
    auto tgid = process_of(pid, error);
    if (!tgid) return fail(error);
    tgids.push_back(*tgid);
  }
  if (!choose_library_functions(opt, tgids, config, warnings, error)) return fail(error);
  // Return probes return through the kernel's uretprobe syscall (x86-64,
  // Linux 6.11+): a call of our making, not of the program's.
  if (auto nr = catalog::find_syscall(table, "uretprobe"); nr && !config.libraries.functions.empty())
    std::erase(config.syscalls, *nr);
  for (const auto& w : warnings)
    if (!opt.quiet) std::cerr << "etrace-capture: warning: " << w << "\n";

  WriterLimits limits;
  limits.max_records = opt.max_events;
  limits.max_bytes = opt.max_size;
  limits.rotate_bytes = opt.rotate_size;
  limits.rotate_count = opt.rotate_count;
  if (opt.rotate_size) limits.rotate_base = opt.output;
  OutputFile output;
  if (!output.open(opt.rotate_size ? rotated_name(opt.output, 0) : opt.output, opt.rotate_size != 0, error))
    return fail(error);

  std::unique_ptr<HeldCommand> command;
  if (!opt.command.empty()) {
    command = HeldCommand::start(command_file, opt.command, inherited, opt.kill_on_exit, error);
    if (!command) return fail(error);
  }
  install_stop_handlers();
  quiet_libbpf(opt.verbose);

  CaptureWriter writer(output.fd(), output.name(), limits);
  if (opt.rotate_size) writer.set_first_file_closer([&output] { output.close(); });
  config.verbose = opt.verbose;
  auto tracer = Tracer::load(config, kernel, [&](std::span<const uint8_t> r) { writer.add_record(r); }, error);
  if (!tracer) return fail(error);
  if (int err = tracer->try_flush())
    return fail(std::string("this kernel cannot run a BPF program on a chosen CPU (BPF_F_TEST_RUN_ON_CPU, Linux "
                            "5.10), which etrace-capture needs: ") + std::strerror(-err));
  writer.set_loss_source([&t = *tracer](format::CaptureStats& stats) { add_losses(t, stats); });
  for (uint32_t tgid : tgids)
    if (!tracer->add_target(tgid, ETRACE_TARGET_TRACED, error)) return fail(error);
  if (command && !tracer->add_target(static_cast<uint32_t>(command->pid()), ETRACE_TARGET_FROM_EXEC, error))
    return fail(error);
  if (!config.libraries.functions.empty() && !tracer->uprobe_multi() && !opt.quiet)
    std::cerr << "etrace-capture: warning: this kernel has no multi-uprobe links (Linux 6.6 and later): the "
              << config.libraries.functions.size() << " library functions are attached one by one, each taking two "
              << "file descriptors and a slower start\n";
  // What the targets' descriptors refer to, for etrace-decode -y: read just
  // before attaching, so the records that follow hold every later change.
  std::vector<std::vector<uint8_t>> descriptor_records;
  std::vector<uint32_t> snapshot_tgids = tgids;
  if (command) snapshot_tgids.push_back(static_cast<uint32_t>(command->pid()));
  snapshot_descriptors(snapshot_processes(snapshot_tgids, config.comms, config.trace_all), monotonic_ns(),
                       [&](std::span<const uint8_t> r) { descriptor_records.emplace_back(r.begin(), r.end()); });
  if (!tracer->attach(error) || !output.commit(error)) return fail(error);
  if (!opt.quiet) warn_refused(tracer->refused_functions(), config.libraries);
  if (!opt.quiet && !output.is_stdout()) std::cerr << "etrace-capture: writing " << output.name() << "\n";

  format::CaptureInfo info;
  info.etrace_version = ETRACE_VERSION;
  info.argv = opt.argv;
  info.realtime_offset_ns = realtime_offset_ns();
  info.start_ns = monotonic_ns();
  info.pids = tgids;
  info.comms = config.comms;
  info.syscalls = opt.syscalls;
  info.command = opt.command;
  for (const auto& c : *cgroups) info.cgroups.push_back(c.path);
  info.follow = opt.follow;
  info.buffer_bytes = opt.buffer_bytes;
  CaptureMetadata metadata{read_host_info(), info, table, read_formats(*tracefs, table, *nrs), config.plans, {},
                           config.libraries};
  if (btf && opt.btf) {
    metadata.btf = btf_subset(btf.get(), metadata.plans, error);
    if (metadata.btf.empty()) return fail(error);
  }
  if (!writer.write_metadata(metadata)) return fail(writer.error());
  // Ahead of every record the kernel has queued since attaching.
  const SnapshotTargets running{config.trace_all, tgids, config.comms, info.cgroups, static_cast<uint32_t>(getpid())};
  for (const auto& record : snapshot_contexts(running, cgroup_root.value_or(""), monotonic_ns()))
    writer.add_record(record);
  for (const auto& record : descriptor_records) writer.add_record(record);

  bool exec_failed = false;
  if (command && !command->release(error)) {
    std::cerr << "etrace-capture: " << error << "\n";
    exec_failed = true;
  }

  const uint64_t deadline = opt.duration_s > 0 ? info.start_ns + static_cast<uint64_t>(opt.duration_s * 1e9) : 0;
  StatusLine status(!opt.quiet && isatty(STDERR_FILENO));
  const Stop stop = poll_until_stop(*tracer, writer, command.get(), deadline, status);
  // The capture stops before the command: with --kill-on-exit the command
  // goes now, while still traced; otherwise it goes on, untraced.
  const bool command_left = command && !command->exited() && !exec_failed;
  const size_t killed = command_left && opt.kill_on_exit ? command->kill_tree() : 0;
  tracer->detach();
  tracer->drain();
  for (const auto& record : tracer->open_gaps(monotonic_ns())) writer.add_record(record);
  const format::CaptureStats last = final_stats(*tracer, stop);
  const bool written = writer.finish(last);
  status.clear();

  const std::string fate = command_fate(command.get(), command_left, killed);
  const std::string where = opt.rotate_size ? writer.current_name() : output.name();
  if (!opt.quiet) print_closing_table(std::cerr, capture_totals(last, writer), table, config.libraries);
  if (tracer->unreadable_batches())
    std::cerr << "etrace-capture: " << tracer->unreadable_batches()
              << " batches from the kernel did not parse as records and were left out (a bug: please report it)\n";
  if (writer.disk_full() && written) {
    // One line: why, what the file holds, what became of the rest and of the command.
    std::cerr << "etrace-capture: stopped: " << writer.error() << "; " << where
              << " ends with its statistics trailer after the last of the " << writer.records_written()
              << " records that fit, and the " << writer.records_taken() - writer.records_written()
              << " taken after them were not written" << fate << "\n";
    return 1;
  }
  if (!written || !writer.error().empty())
    return fail("stopped: " + writer.error() + "; the capture holds everything before that point" + fate);
  if (!opt.quiet) {
    std::cerr << "etrace-capture: stopped (" << stop.reason << "); " << writer.bytes_written() << " bytes in ";
    if (opt.rotate_size)
      std::cerr << writer.files() << " files, " << rotated_name(opt.output, writer.first_kept()) << " to " << where
                << " kept";
    else
      std::cerr << where;
    std::cerr << fate << "\n";
  }
  return exec_failed ? 127 : exit_code_of(stop);
}

}  // namespace
}  // namespace etrace::capture

int main(int argc, char** argv) {
  // Before anything changes them: what the command must inherit.
  const auto inherited = etrace::capture::InheritedState::of_this_process();
  int code = 0;
  auto options = etrace::capture::parse_options(argc, argv, code);
  if (!options) return code;
  return etrace::capture::run(*options, inherited);
}
