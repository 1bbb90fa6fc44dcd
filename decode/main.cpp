// etrace-decode: renders a capture written by etrace-capture as strace-like
// text, JSON Lines, a summary table or a Perfetto timeline. Needs no root, no tracefs and no BTF:
// everything it needs is in the capture.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/private_file.h"
#include "common/result.h"
#include "decode/arguments/syscall_catalog.h"
#include "decode/capture_summary.h"
#include "decode/event_query.h"
#include "decode/input/capture_btf.h"
#include "decode/input/capture_file.h"
#include "decode/input/capture_set.h"
#include "decode/options.h"
#include "decode/pipeline.h"
#include "decode/render/fd_output_buffer.h"
#include "decode/render/json_renderer.h"
#include "decode/render/per_task_files.h"
#include "decode/render/perfetto_renderer.h"
#include "decode/render/stats_renderer.h"
#include "decode/render/text_renderer.h"
#include "decode/render/top_calls.h"
#include "decode/views/descriptor_report.h"
#include "decode/views/run_diff.h"
#include "decode/views/run_profile.h"

using namespace etrace;
using namespace etrace::decode;

namespace {

constexpr const char* kProg = "etrace-decode";

void warn(const std::string& sentence) { std::cerr << kProg << ": warning: " << sentence << "\n"; }
int fail(const std::string& sentence, int code = 1) {
  std::cerr << kProg << ": " << sentence << "\n";
  return code;
}

// The capture's syscall names, argument formats, copy plans and BTF.
Result<SyscallCatalog> catalog_for(const CaptureFile& capture, const Options& o) {
  if (capture.metadata_complete()) {
    if (!capture.syscall_table()) warn("the capture has no syscall table: calls are shown by number");
    if (!capture.formats()) warn("the capture has no tracepoint formats: arguments are shown as raw registers");
  }
  format::CopyPlans plans = capture.copy_plans().value_or(format::CopyPlans{});
  std::vector<std::string> problems;
  auto btf = btf_for_capture(capture, o.btf_path, plans, problems);
  if (!btf) return btf.error();
  for (const auto& problem : problems) warn(problem);
  return SyscallCatalog(capture.syscall_table().value_or(format::SyscallTable{}),
                        capture.formats().value_or(format::TracepointFormats{}), std::move(plans), std::move(*btf));
}

// Where the output goes, in 1 MiB writes (the default buffers made one
// write per 10 KiB, an eighth of the time of a JSON decode), except to a
// terminal. A file named by the user is made as common/private_file.h
// says (never through a link, never into another's file) and put in place
// only once written whole: a failed write leaves no partial file, and
// what was at the name before stays as it was.
class Destination {
 public:
  // "" or "-" is standard output.
  Result<void> open(const std::string& path) {
    if (!path.empty() && path != "-") {
      auto file = common::PrivateFile::create(path, common::PrivateFile::Target::kUserNamed);
      if (!file) return file.error();
      file_.emplace(std::move(*file));
      buffer_.emplace(file_->fd());
      name_ = path;
    } else if (!isatty(STDOUT_FILENO)) {
      buffer_.emplace(STDOUT_FILENO);
    }
    if (buffer_) stream_.rdbuf(&*buffer_);
    return {};
  }
  std::ostream& stream() { return buffer_ ? stream_ : std::cout; }

  // Writes out what is buffered and puts the file in place.
  Result<void> close() {
    std::ostream& out = stream();
    out.flush();
    if (!out) {
      const int error = buffer_ ? buffer_->error() : 0;
      return Error{"cannot write " + name_ + (error ? std::string(": ") + std::strerror(error) : "")};
    }
    if (file_) return file_->commit();
    return {};
  }

 private:
  std::optional<common::PrivateFile> file_;
  std::optional<FdOutputBuffer> buffer_;  // after file_: drained before the file closes
  std::ostream stream_{nullptr};
  std::string name_ = "standard output";
};

// The renderer the options ask for; `stats` and `perfetto` point at it when
// it is one of those, which learn at the end what only the file knows;
// `descriptors` at what the --files and --conns report follows; `profile`
// at a --diff run's profile; `per_task` at -ff's files, to put in place.
struct Renderer {
  std::unique_ptr<Output> output;
  StatsRenderer* stats = nullptr;
  PerfettoRenderer* perfetto = nullptr;
  DescriptorActivity* descriptors = nullptr;
  RunProfile* profile = nullptr;
  PerTaskFiles* per_task = nullptr;
};

Renderer renderer_for(const Options& o, const CaptureFile& capture, SyscallCatalog& catalog, int64_t offset,
                      std::ostream& out) {
  const StringOptions strings{o.decode.string_limit, o.hex};
  Renderer r;
  if (!o.diff_base.empty()) {
    auto p = std::make_unique<RunProfile>();
    r.profile = p.get();
    r.output = std::move(p);
  } else if (o.files || o.conns) {
    auto d = std::make_unique<DescriptorReport>(out, DescriptorReportOptions{o.files, o.conns, o.json}, catalog, offset);
    r.descriptors = &d->activity();
    r.output = std::move(d);
  } else if (o.stats || !o.histograms.empty()) {
    auto s = std::make_unique<StatsRenderer>(out, std::cerr, StatsOptions{o.stats, o.json, o.sort, o.histograms});
    r.stats = s.get();
    r.output = std::move(s);
  } else if (!o.perfetto_path.empty()) {
    // Times count from the capture's start; since boot without a capture block.
    const int64_t origin = capture.capture() ? format::wall_clock_ns(capture.capture()->start_ns, offset) : 0;
    auto p = std::make_unique<PerfettoRenderer>(out, origin, strings);
    r.perfetto = p.get();
    r.output = std::move(p);
  } else {
    // The calls, to `out` or (-ff) to each thread's file.
    const TextOptions text{o.timestamps, o.durations || o.top > 0, strings, o.decode.verbose, o.relative, o.show_comm};
    auto calls_to = [&o, text](std::ostream& to) {
      std::unique_ptr<Output> calls;
      if (o.json)
        calls = std::make_unique<JsonRenderer>(to, o.contexts);
      else
        calls = std::make_unique<TextRenderer>(to, text);
      if (o.top > 0) calls = std::make_unique<TopCalls>(o.top, std::move(calls));
      return calls;
    };
    if (o.per_task_prefix.empty()) {
      r.output = calls_to(out);
    } else {
      auto f = std::make_unique<PerTaskFiles>(o.per_task_prefix, calls_to);
      r.per_task = f.get();
      r.output = std::move(f);
    }
  }
  return r;
}

// What decoding found: records the pipeline could not parse, and whether
// the filters let any call through.
struct Decoded {
  uint64_t malformed = 0;
  std::string first_malformed;
  bool filtered_out_every_call = false;
  uint64_t calls = 0;
};

// What one file's end says: warnings now; for a corrupt file, the sentence
// that ends the decode, said last (reading stops there).
// `several`: the file is one of several, and a warning names it.
std::string report_file_end(const CaptureFile& capture, const std::string& input_name, bool several) {
  if (capture.skipped_blocks())
    warn(std::to_string(capture.skipped_blocks()) + " blocks of types this etrace-decode does not know were skipped");
  switch (capture.end()) {
    case CaptureFile::End::kClean:
      break;
    case CaptureFile::End::kTruncated:
      warn((several ? input_name + ": " : "") + capture.message() +
           ": decoded everything before it (the capture did not finish, so the records it lost are not counted)");
      break;
    case CaptureFile::End::kCorrupt:
      return input_name + ": " + capture.message() + "; decoded everything before it";
    case CaptureFile::End::kDamaged:
      return input_name + ": " + capture.message();
  }
  return "";
}

// What the last file's trailer says about the whole capture.
void report_capture_end(const CaptureFile& last, const Options& o) {
  if (!o.stats && !last.stats() && last.end() == CaptureFile::End::kClean)
    warn("the capture has no statistics trailer: etrace-capture did not finish (it was killed, or is still "
         "writing), so the records it lost are not counted");
  if (!o.stats && last.stats() && last.stats()->total_lost())
    warn("the kernel dropped " + std::to_string(last.stats()->total_lost()) +
         " records during capture (ring buffer full): some calls may be missing or shown unpaired");
}

// The capture's trailer from its files' trailers: each counts the records
// it holds; the kernel's losses are cumulative, so the last file's stand.
class TrailerSum {
 public:
  void add(const std::optional<format::CaptureStats>& file) {
    if (!file) return;
    for (const auto& [nr, c] : file->syscalls) syscalls_[nr] += c.written;
    for (const auto& [index, c] : file->functions) functions_[index] += c.written;
    process_ += file->process_records.written;
    last_ = *file;
  }
  std::optional<format::CaptureStats> whole() const {
    if (!last_) return std::nullopt;
    format::CaptureStats s = *last_;
    for (const auto& [nr, n] : syscalls_) s.syscalls[nr].written = n;
    for (const auto& [index, n] : functions_) s.functions[index].written = n;
    s.process_records.written = process_;
    return s;
  }

 private:
  std::map<uint32_t, uint64_t> syscalls_, functions_;
  uint64_t process_ = 0;
  std::optional<format::CaptureStats> last_;
};

// Every record of every file through one pipeline into the renderer (so
// calls pair across files), then what only the end of the capture tells.
// The exit status.
int decode_into(CaptureSet& files, SyscallCatalog& catalog, EventFilter filter, const Options& o, int64_t offset,
                Renderer& r, Decoded& decoded) {
  CaptureFile& first = files.current();
  if (!first.capture() && first.metadata_complete())
    warn("the capture has no capture block: times are shown since boot, not wall-clock");
  const std::optional<uint64_t> start =
      first.capture() ? std::optional<uint64_t>(first.capture()->start_ns) : std::nullopt;
  const auto names = first.syscall_table().value_or(format::SyscallTable{}).names;
  Pipeline pipeline(catalog, offset, std::move(filter), *r.output, o.decode);
  LibraryCatalog libraries(first.libraries().value_or(format::LibraryTable{}));
  for (const auto& problem : libraries.problems()) warn(problem);
  pipeline.set_libraries(std::move(libraries));
  if (r.descriptors) pipeline.follow_descriptors(*r.descriptors);
  int status = 0;
  std::string corrupt;
  TrailerSum trailers;
  for (;;) {
    CaptureFile& file = files.current();
    file.before_block_read([&] { r.output->flush(); });
    feed_all(file, pipeline);
    trailers.add(file.stats());
    corrupt = report_file_end(file, files.current_name(), files.size() > 1);
    if (!corrupt.empty() || files.last()) break;
    if (auto next = files.next(); !next) {
      status = fail(next.error().message);
      break;
    }
  }
  pipeline.finish();
  CaptureFile& last = files.current();
  if (r.stats) r.stats->set_sources(StatsSources{last.stats() ? trailers.whole() : std::nullopt, start, names});
  if (r.perfetto && last.stats()) r.perfetto->set_end(format::wall_clock_ns(last.stats()->end_ns, offset));
  r.output->finish();
  report_capture_end(last, o);
  if (!corrupt.empty()) status = fail(corrupt);
  decoded = {pipeline.malformed_records(), pipeline.first_malformed(),
             pipeline.filtering() && pipeline.calls() > 0 && pipeline.calls_shown() == 0, pipeline.calls()};
  return status;
}

// Decodes the capture, file by file; with --diff, into `profile` and
// nothing written.
int decode_capture(CaptureSet& files, const Options& o, std::vector<ProcessProfile>* profile = nullptr) {
  CaptureFile& capture = files.current();
  auto catalog = catalog_for(capture, o);
  if (!catalog) return fail(files.current_name() + ": " + catalog.error().message);
  auto filter = filter_for(o, capture);
  if (!filter) return fail(filter.error().message, 2);

  const std::string out_path = profile ? "" : o.perfetto_path.empty() ? o.output_path : o.perfetto_path;
  Destination destination;
  if (auto opened = destination.open(out_path); !opened) return fail(opened.error().message);
  std::ostream& out = destination.stream();
  const int64_t offset = capture.capture() ? capture.capture()->realtime_offset_ns : 0;
  Renderer renderer = renderer_for(o, capture, *catalog, offset, out);
  Decoded decoded;
  const int end_status = decode_into(files, *catalog, std::move(*filter), o, offset, renderer, decoded);
  if (profile) *profile = renderer.profile->processes();

  // A failed write is reported, but the file's own warnings still follow.
  int status = 0;
  if (auto closed = destination.close(); !closed) status = fail(closed.error().message);
  if (renderer.per_task)
    if (auto closed = renderer.per_task->close(); !closed) status = fail(closed.error().message);
  for (const auto& problem : catalog->problems()) warn(problem);
  if (decoded.malformed)
    warn(std::to_string(decoded.malformed) + " malformed records were skipped (first: " + decoded.first_malformed +
         ")");
  if (decoded.filtered_out_every_call)
    warn("the filters match none of the capture's " + std::to_string(decoded.calls) + " calls");
  return end_status ? end_status : status;
}

// --info: each file summed up in turn.
int print_summaries(const std::vector<std::string>& names, bool json) {
  int status = 0;
  for (const auto& name : names) {
    std::ifstream file;
    if (name != "-") {
      file.open(name, std::ios::binary);
      if (!file) return fail("cannot open " + name + ": " + std::strerror(errno));
    }
    std::istream& in = name == "-" ? std::cin : file;
    status |= print_capture_summary(in, name == "-" ? "standard input" : name, json, std::cout);
  }
  return status;
}

// --diff A B: each capture profiled, then the two runs compared.
int diff_captures(const Options& o) {
  const std::vector<std::string> names[2] = {expand_rotated({o.diff_base}), expand_rotated(o.inputs)};
  std::vector<ProcessProfile> runs[2];
  for (size_t i = 0; i < 2; ++i) {
    auto files = CaptureSet::open(names[i]);
    if (!files) return fail(files.error().message);
    if (const int status = decode_capture(*files, o, &runs[i]); status) return status;
  }
  Destination destination;
  if (auto opened = destination.open(o.output_path); !opened) return fail(opened.error().message);
  std::ostream& out = destination.stream();
  write_run_diff(out, diff_runs(runs[0], runs[1]), o.diff_base, o.inputs.front());
  if (auto closed = destination.close(); !closed) return fail(closed.error().message);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // Every events frame inflates into a buffer of up to 4 MiB (more with
  // larger frames): keep freed ones in the heap rather than mapping, and
  // faulting in, fresh pages for each frame.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);

  const CommandLine command_line = parse_options(argc, argv);
  if (!command_line.options) return command_line.exit_code;
  const Options& o = *command_line.options;
  if (!o.diff_base.empty()) return diff_captures(o);
  const std::vector<std::string> names = expand_rotated(o.inputs);
  if (o.info) return print_summaries(names, o.json);
  auto files = CaptureSet::open(names);
  if (!files) return fail(files.error().message);
  return decode_capture(*files, o);
}
