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
#include "decode/capture_merge.h"
#include "decode/capture_stream.h"
#include "decode/capture_summary.h"
#include "decode/diagnostics.h"
#include "decode/event_query.h"
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
#include "decode/views/run_diff_json.h"
#include "decode/views/run_profile.h"

using namespace etrace;
using namespace etrace::decode;

namespace {

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

// `origin_wall_ns`: where a timeline's times count from.
Renderer renderer_for(const Options& o, SyscallCatalog& catalog, int64_t offset, int64_t origin_wall_ns,
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
    auto p = std::make_unique<PerfettoRenderer>(out, origin_wall_ns, strings);
    r.perfetto = p.get();
    r.output = std::move(p);
  } else {
    // The calls, to `out` or (-ff) to each thread's file.
    TextOptions text{o.timestamps, o.durations || o.top > 0, strings, o.decode.verbose, o.relative, o.show_comm};
    auto calls_to = [&o, text](std::ostream& to, bool one_thread) mutable {
      std::unique_ptr<Output> calls;
      text.one_thread = one_thread;
      if (o.json)
        calls = std::make_unique<JsonRenderer>(to, o.contexts);
      else
        calls = std::make_unique<TextRenderer>(to, text);
      if (o.top > 0) calls = std::make_unique<TopCalls>(o.top, std::move(calls));
      return calls;
    };
    if (o.per_task_prefix.empty()) {
      r.output = calls_to(out, false);
    } else {
      auto f = std::make_unique<PerTaskFiles>(o.per_task_prefix,
                                              [calls_to](std::ostream& to) mutable { return calls_to(to, true); });
      r.per_task = f.get();
      r.output = std::move(f);
    }
  }
  return r;
}

// Where the output goes: --perfetto's file, else -o's (which the options
// do not allow together).
const std::string& output_path(const Options& o) { return o.perfetto_path.empty() ? o.output_path : o.perfetto_path; }

// What follows the output: whether it could be written, then what each
// capture's decode found. The exit status, `status` unless writing failed.
int conclude(Destination& destination, Renderer& r, const std::vector<CaptureStream*>& streams, int status) {
  // A failed write is reported, but the captures' own warnings still follow.
  for (auto closed : {destination.close(), r.per_task ? r.per_task->close() : Result<void>{}})
    if (!closed) {
      const int failed = fail(closed.error().message);
      status = status ? status : failed;
    }
  for (CaptureStream* stream : streams) {
    for (const auto& problem : stream->catalog().problems()) warn(problem);
    const Decoded decoded = stream->decoded();
    if (decoded.malformed)
      warn(std::to_string(decoded.malformed) + " malformed records were skipped (first: " +
           decoded.first_malformed + ")");
    if (decoded.filtered_out_every_call)
      warn("the filters match none of the capture's " + std::to_string(decoded.calls) + " calls");
  }
  return status;
}

// Decodes one capture, file by file, calls pairing across files; with
// --diff, into `profile` and nothing written.
int decode_capture(CaptureSet files, const Options& o, std::vector<ProcessProfile>* profile = nullptr) {
  auto opened = CaptureStream::open(std::move(files), o);
  if (!opened) return fail(opened.error().message);
  CaptureStream& stream = **opened;
  auto filter = filter_for(o, stream.current());
  if (!filter) return fail(filter.error().message, 2);

  Destination destination;
  if (auto made = destination.open(profile ? "" : output_path(o)); !made) return fail(made.error().message);
  // A timeline counts from the capture's start; since boot without a capture block.
  Renderer r = renderer_for(o, stream.catalog(), stream.realtime_offset_ns(), stream.start_wall_ns().value_or(0),
                            destination.stream());
  stream.start(std::move(*filter), *r.output, r.descriptors, [&] { r.output->flush(); });
  while (stream.step()) {
  }
  stream.finish();
  if (r.stats) r.stats->set_sources(StatsSources{stream.trailer(), stream.start_ns(), stream.syscall_names()});
  if (r.perfetto) r.perfetto->set_end(stream.end_wall_ns());
  r.output->finish();
  const int status = stream.report_end();
  if (profile) *profile = r.profile->processes();
  return conclude(destination, r, {&stream}, status);
}

// The option that shows one capture as a whole, which a merge of several
// cannot give; null when none is asked for.
const char* whole_capture_view(const Options& o) {
  if (o.files || o.conns) return o.files ? "--files" : "--conns";
  return nullptr;
}

// Several captures (of several hosts, say) as one output in wall-clock
// order, each event marked with its host.
int decode_merged(const std::vector<std::vector<std::string>>& groups, const Options& o) {
  if (const char* view = whole_capture_view(o))
    return fail(std::string(view) + " shows one capture at a time, and these files hold " +
                    std::to_string(groups.size()) + " captures: decode each on its own",
                2);
  auto opened = open_merged(groups, o);
  if (!opened) return fail(opened.error().message);
  std::vector<std::unique_ptr<MergedCapture>>& captures = *opened;
  for (auto& capture : captures) {
    auto filter = filter_for(o, capture->stream->current());
    if (!filter) return fail(filter.error().message, 2);
    capture->stream->start(std::move(*filter), capture->queue, nullptr, {});
  }

  Destination destination;
  if (auto made = destination.open(output_path(o)); !made) return fail(made.error().message);
  CaptureStream& first = *captures.front()->stream;
  // One timeline for all: from the earliest capture start to the latest stop.
  Renderer r = renderer_for(o, first.catalog(), first.realtime_offset_ns(), earliest_start(captures),
                            destination.stream());
  merge_captures(captures, *r.output);
  if (r.perfetto) r.perfetto->set_end(latest_end(captures));
  // Durations from the events' wall-clock times: the hosts' clocks since
  // boot, which the trailers' ends are read by, do not compare.
  if (r.stats) r.stats->set_sources(StatsSources{added_trailers(captures), std::nullopt, first.syscall_names()});
  r.output->finish();
  int status = 0;
  std::vector<CaptureStream*> streams;
  for (auto& capture : captures) {
    const int end = capture->stream->report_end();
    status = status ? status : end;
    streams.push_back(capture->stream.get());
  }
  return conclude(destination, r, streams, status);
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

// --diff A B: each capture profiled, then the two runs compared, as text or
// JSON Lines.
int diff_captures(const Options& o) {
  const std::vector<std::string> names[2] = {expand_rotated({o.diff_base}), expand_rotated(o.inputs)};
  std::vector<ProcessProfile> runs[2];
  for (size_t i = 0; i < 2; ++i) {
    auto files = CaptureSet::open(names[i]);
    if (!files) return fail(files.error().message);
    if (const int status = decode_capture(std::move(*files), o, &runs[i]); status) return status;
  }
  Destination destination;
  if (auto opened = destination.open(o.output_path); !opened) return fail(opened.error().message);
  std::ostream& out = destination.stream();
  const auto write = o.json ? write_run_diff_json : write_run_diff;
  write(out, diff_runs(runs[0], runs[1]), o.diff_base, o.inputs.front());
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
  auto groups = group_by_capture(names);
  if (!groups) return fail(groups.error().message);
  if (groups->size() > 1) return decode_merged(*groups, o);
  auto files = CaptureSet::open(names);
  if (!files) return fail(files.error().message);
  return decode_capture(std::move(*files), o);
}
