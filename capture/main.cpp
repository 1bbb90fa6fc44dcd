// etrace-capture: records syscalls with eBPF into a capture file.
// Lifecycle: resolve targets (trace_setup) -> load -> filter -> attach ->
// poll -> drain -> trailer. Errors are one sentence on stderr and a non-zero
// exit; whatever was captured before an error stays a readable file.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/types.h>

#include <bpf/libbpf.h>

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
#include "capture/closing_table.h"
#include "capture/context_snapshot.h"
#include "capture/descriptor_snapshot.h"
#include "capture/held_command.h"
#include "capture/host_facts.h"
#include "capture/kernel_check.h"
#include "capture/kernel_features.h"
#include "capture/library_selection.h"
#include "capture/options.h"
#include "capture/output_file.h"
#include "capture/privileges.h"
#include "capture/status_line.h"
#include "capture/trace_setup.h"
#include "capture/tracer.h"
#include "common/result.h"

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

void warn(const std::string& sentence) { std::cerr << "etrace-capture: warning: " << sentence << "\n"; }

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

// etrace-capture exits as the command did, as a shell reports it.
int exit_code_of(const Stop& stop) {
  if (!stop.command_status) return 0;
  if (WIFEXITED(*stop.command_status)) return WEXITSTATUS(*stop.command_status);
  if (WIFSIGNALED(*stop.command_status)) return 128 + WTERMSIG(*stop.command_status);
  return 0;
}

// --list-libs: the shared objects of a process, with their exported functions.
int list_libraries(uint32_t pid) {
  auto rows = list_mapped_libraries(pid);
  if (!rows) return fail(rows.error().message);
  std::printf("%9s  %-28s %s\n", "functions", "soname", "path");
  for (const auto& r : *rows) std::printf("%9zu  %-28s %s\n", r.functions, r.soname.c_str(), r.path.c_str());
  return 0;
}

// --check: loads every program as a capture of the whole system would
// (library-call programs too, where the kernel can run them), and reports.
int check_kernel(const Options& opt) {
  const KernelFeatures kernel = probe_kernel_features();
  CheckResult result{kernel, nullptr, "", 0};
  std::unique_ptr<Tracer> tracer;
  if (kernel.can_capture()) {
    auto loaded = Tracer::load(check_config(opt, kernel), kernel, [](std::span<const uint8_t>) {});
    if (loaded) {
      tracer = std::move(*loaded);
      result.flush_error = tracer->try_flush();
    } else {
      result.load_error = loaded.error().message;
    }
    result.tracer = tracer.get();
  }
  return print_check_report(std::cout, result);
}

// This kernel's features, when they let a capture with these options work.
Result<KernelFeatures> kernel_for_capture(const Options& opt) {
  KernelFeatures kernel = probe_kernel_features();
  if (auto usable = kernel.can_capture(); !usable) return usable.error();
  if (!opt.libs.empty())
    if (auto usable = kernel.can_trace_library_calls(); !usable) return usable.error();
  return kernel;
}

// Run-a-command mode: the command, forked and held back until tracing is
// attached. Null without a command.
Result<std::unique_ptr<HeldCommand>> hold_command(const Options& opt, const InheritedState& inherited) {
  if (opt.command.empty()) return std::unique_ptr<HeldCommand>();
  return HeldCommand::start(opt.command, inherited, opt.kill_on_exit);
}

WriterLimits writer_limits(const Options& opt) {
  WriterLimits limits;
  limits.max_records = opt.max_events;
  limits.max_bytes = opt.max_size;
  limits.rotate_bytes = opt.rotate_size;
  limits.rotate_count = opt.rotate_count;
  if (opt.rotate_size) limits.rotate_base = opt.output;
  return limits;
}

// Loads the kernel side, its records going to `writer` (with its loss
// counts for the trailers), and names it the processes to trace.
Result<std::unique_ptr<Tracer>> load_tracer(const TraceSetup& setup, const KernelFeatures& kernel,
                                            CaptureWriter& writer, const HeldCommand* command) {
  auto loaded = Tracer::load(setup.config, kernel, [&writer](std::span<const uint8_t> r) { writer.add_record(r); });
  if (!loaded) return loaded.error();
  std::unique_ptr<Tracer> tracer = std::move(*loaded);
  if (int err = tracer->try_flush())
    return Error{std::string("this kernel cannot run a BPF program on a chosen CPU (BPF_F_TEST_RUN_ON_CPU, Linux "
                             "5.10), which etrace-capture needs: ") + std::strerror(-err)};
  writer.set_loss_source([&t = *tracer](format::CaptureStats& stats) { add_losses(t, stats); });
  for (uint32_t tgid : setup.tgids)
    if (auto added = tracer->add_target(tgid, ETRACE_TARGET_TRACED); !added) return added.error();
  if (command)
    if (auto added = tracer->add_target(static_cast<uint32_t>(command->pid()), ETRACE_TARGET_FROM_EXEC); !added)
      return added.error();
  return tracer;
}

// What the targets' descriptors refer to, for etrace-decode -y: read just
// before attaching, so that the records that follow hold every later change.
std::vector<std::vector<uint8_t>> descriptor_records(const TraceSetup& setup, const HeldCommand* command) {
  std::vector<std::vector<uint8_t>> records;
  std::vector<uint32_t> tgids = setup.tgids;
  if (command) tgids.push_back(static_cast<uint32_t>(command->pid()));
  snapshot_descriptors(snapshot_processes(tgids, setup.config.comms, setup.config.trace_all), monotonic_ns(),
                       [&](std::span<const uint8_t> r) { records.emplace_back(r.begin(), r.end()); });
  return records;
}

// Attaches, then puts the file in place: tracing has started.
Result<void> start_tracing(Tracer& tracer, OutputFile& output) {
  if (auto attached = tracer.attach(); !attached) return attached;
  return output.commit();
}

// Library functions the kernel would not probe, named (the first few).
void warn_refused(const std::vector<uint32_t>& refused, const format::LibraryTable& libraries) {
  if (refused.empty()) return;
  std::string names;
  for (size_t i = 0; i < refused.size() && i < 8; ++i)
    names += (i ? ", " : "") + libraries.functions.at(refused[i]).name;
  if (refused.size() > 8) names += ", ...";
  warn("the kernel cannot probe " + std::to_string(refused.size()) +
       " of the library functions (their first instruction is one uprobes cannot step over), which are not traced: " +
       names);
}

// The capture block: what was asked for, and when tracing started.
format::CaptureInfo capture_info(const Options& opt, const TraceSetup& setup) {
  format::CaptureInfo info;
  info.etrace_version = ETRACE_VERSION;
  info.argv = opt.argv;
  info.realtime_offset_ns = realtime_offset_ns();
  info.start_ns = monotonic_ns();
  info.pids = setup.tgids;
  info.comms = setup.config.comms;
  info.syscalls = opt.syscalls;
  info.command = opt.command;
  for (const auto& c : setup.cgroups) info.cgroups.push_back(c.path);
  info.follow = opt.follow;
  info.buffer_bytes = opt.buffer_bytes;
  return info;
}

// The tracepoint formats of the syscalls chosen.
format::TracepointFormats read_formats(const TraceSetup& setup) {
  format::TracepointFormats out;
  for (uint32_t nr : setup.chosen) {
    auto it = setup.table.events.find(nr);
    if (it == setup.table.events.end()) continue;
    for (const char* dir : {"sys_enter_", "sys_exit_"}) {
      std::string event = dir + it->second;
      if (auto text = setup.tracefs.format("syscalls", event)) out.formats[event] = *text;
    }
  }
  return out;
}

// The file's metadata blocks (with the BTF of the types the plans copy,
// unless --no-btf).
Result<void> write_metadata(CaptureWriter& writer, const TraceSetup& setup, const format::CaptureInfo& info,
                            bool with_btf) {
  CaptureMetadata metadata{read_host_info(), info, setup.table, read_formats(setup), setup.config.plans, {},
                           setup.config.libraries};
  if (setup.btf && with_btf) {
    auto subset = btf_subset(setup.btf.get(), metadata.plans);
    if (!subset) return subset.error();
    metadata.btf = std::move(*subset);
  }
  return writer.write_metadata(metadata);
}

// The start-up snapshots, ahead of every record the kernel has queued
// since attaching: the targets' contexts, then their descriptors.
void add_snapshots(CaptureWriter& writer, const TraceSetup& setup, const format::CaptureInfo& info,
                   const std::vector<std::vector<uint8_t>>& descriptors) {
  const SnapshotTargets running{setup.config.trace_all, setup.tgids, setup.config.comms, info.cgroups,
                                static_cast<uint32_t>(getpid())};
  for (const auto& record : snapshot_contexts(running, setup.cgroup_root, monotonic_ns())) writer.add_record(record);
  for (const auto& record : descriptors) writer.add_record(record);
}

// Lets the command exec; false when it could not (its failed exec is traced).
bool release_command(HeldCommand* command) {
  if (!command) return true;
  auto released = command->release();
  if (!released) std::cerr << "etrace-capture: " << released.error().message << "\n";
  return released.ok();
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

// How the capture ended.
struct Ending {
  Stop stop;
  bool exec_failed = false;
  std::string command_fate;   // for the closing line
  format::CaptureStats last;  // the last file's trailer
  bool written = false;       // the trailer was written
};

// The capture stops before the command: with --kill-on-exit the command
// goes now, while still traced; otherwise it goes on, untraced. Then the
// kernel side is stopped and emptied, and the last file finished.
Ending finish_capture(const Stop& stop, bool exec_failed, bool kill_on_exit, HeldCommand* command, Tracer& tracer,
                      CaptureWriter& writer) {
  const bool command_left = command && !command->exited() && !exec_failed;
  const size_t killed = command_left && kill_on_exit ? command->kill_tree() : 0;
  tracer.detach();
  tracer.drain();
  for (const auto& record : tracer.open_gaps(monotonic_ns())) writer.add_record(record);
  Ending end{stop, exec_failed, command_fate(command, command_left, killed), final_stats(tracer, stop)};
  end.written = writer.finish(end.last);
  return end;
}

// The last line: why the capture stopped and what it holds; the exit status.
int report_end(const Options& opt, const Ending& end, const CaptureWriter& writer, const std::string& where) {
  if (writer.disk_full() && end.written) {
    // One line: why, what the file holds, what became of the rest and of the command.
    std::cerr << "etrace-capture: stopped: " << writer.error() << "; " << where
              << " ends with its statistics trailer after the last of the " << writer.records_written()
              << " records that fit, and the " << writer.records_taken() - writer.records_written()
              << " taken after them were not written" << end.command_fate << "\n";
    return 1;
  }
  if (!end.written || !writer.error().empty())
    return fail("stopped: " + writer.error() + "; the capture holds everything before that point" + end.command_fate);
  if (!opt.quiet) {
    std::cerr << "etrace-capture: stopped (" << end.stop.reason << "); " << writer.bytes_written() << " bytes in ";
    if (opt.rotate_size)
      std::cerr << writer.files() << " files, " << rotated_name(opt.output, writer.first_kept()) << " to " << where
                << " kept";
    else
      std::cerr << where;
    std::cerr << end.command_fate << "\n";
  }
  return end.exec_failed ? 127 : exit_code_of(end.stop);
}

// From loading the kernel side to the closing line, once the output file,
// the writer and the command (held back) are ready.
int trace(const Options& opt, const TraceSetup& setup, const KernelFeatures& kernel, OutputFile& output,
          HeldCommand* command, CaptureWriter& writer) {
  auto loaded = load_tracer(setup, kernel, writer, command);
  if (!loaded) return fail(loaded.error().message);
  Tracer& tracer = **loaded;
  const auto& libraries = setup.config.libraries;
  if (!libraries.functions.empty() && !tracer.uprobe_multi() && !opt.quiet)
    warn("this kernel has no multi-uprobe links (Linux 6.6 and later): the " +
         std::to_string(libraries.functions.size()) +
         " library functions are attached one by one, each taking two file descriptors and a slower start");
  const auto descriptors = descriptor_records(setup, command);
  if (auto started = start_tracing(tracer, output); !started) return fail(started.error().message);
  if (!opt.quiet) warn_refused(tracer.refused_functions(), libraries);
  if (!opt.quiet && !output.is_stdout()) std::cerr << "etrace-capture: writing " << output.name() << "\n";
  const format::CaptureInfo info = capture_info(opt, setup);
  if (auto written = write_metadata(writer, setup, info, opt.btf); !written) return fail(written.error().message);
  add_snapshots(writer, setup, info, descriptors);
  const bool exec_failed = !release_command(command);

  const uint64_t deadline = opt.duration_s > 0 ? info.start_ns + static_cast<uint64_t>(opt.duration_s * 1e9) : 0;
  StatusLine status(!opt.quiet && isatty(STDERR_FILENO));
  const Stop stop = poll_until_stop(tracer, writer, command, deadline, status);
  const Ending end = finish_capture(stop, exec_failed, opt.kill_on_exit, command, tracer, writer);
  status.clear();
  if (!opt.quiet) print_closing_table(std::cerr, capture_totals(end.last, writer), setup.table, libraries);
  if (tracer.unreadable_batches())
    std::cerr << "etrace-capture: " << tracer.unreadable_batches()
              << " batches from the kernel did not parse as records and were left out (a bug: please report it)\n";
  return report_end(opt, end, writer, opt.rotate_size ? writer.current_name() : output.name());
}

int capture(const Options& opt, const InheritedState& inherited, const Capabilities& caps) {
  auto kernel = kernel_for_capture(opt);
  if (!kernel) return fail(kernel.error().message);
  std::vector<std::string> warnings;
  auto setup = set_up_trace(opt, caps, warnings);
  if (!setup) return fail(setup.error().message);
  if (!opt.quiet)
    for (const auto& w : warnings) warn(w);
  OutputFile output;
  if (auto opened = output.open(opt.rotate_size ? rotated_name(opt.output, 0) : opt.output, opt.rotate_size != 0);
      !opened)
    return fail(opened.error().message);
  auto command = hold_command(opt, inherited);
  if (!command) return fail(command.error().message);
  install_stop_handlers();
  quiet_libbpf(opt.verbose);
  CaptureWriter writer(output.fd(), output.name(), writer_limits(opt));
  if (opt.rotate_size) writer.set_first_file_closer([&output] { output.close(); });
  return trace(opt, *setup, *kernel, output, command->get(), writer);
}

int run(const Options& opt, const InheritedState& inherited) {
  if (opt.list_libs) return list_libraries(opt.pids.front());
  const Capabilities caps = Capabilities::of_this_process();
  if (auto allowed = can_trace(caps); !allowed) return fail(allowed.error().message);
  if (opt.check) return check_kernel(opt);
  return capture(opt, inherited, caps);
}

}  // namespace
}  // namespace etrace::capture

int main(int argc, char** argv) {
  // Before anything changes them: what the command must inherit.
  const auto inherited = etrace::capture::InheritedState::of_this_process();
  const auto command_line = etrace::capture::parse_options(argc, argv);
  if (!command_line.options) return command_line.exit_code;
  return etrace::capture::run(*command_line.options, inherited);
}
