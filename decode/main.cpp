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
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/container_id.h"
#include "catalog/syscall_selection.h"
#include "common/private_file.h"
#include "common/result.h"
#include "decode/arguments/syscall_catalog.h"
#include "decode/input/capture_btf.h"
#include "decode/input/capture_file.h"
#include "decode/options.h"
#include "decode/pipeline.h"
#include "decode/render/fd_output_buffer.h"
#include "decode/render/json_renderer.h"
#include "decode/render/perfetto_renderer.h"
#include "decode/render/stats_renderer.h"
#include "decode/render/text_renderer.h"

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

// The filters of the command line, their syscall terms resolved by the
// capture's syscall table. Its errors are usage errors.
Result<EventFilter> filter_for(const Options& o, const format::SyscallTable& table) {
  for (const auto& name : o.histograms) {
    const bool known = std::any_of(table.names.begin(), table.names.end(), [&](const auto& n) { return n.second == name; });
    if (!known) return Error{"--histogram: the capture's syscall table has no syscall named " + name};
  }
  EventFilter filter;
  filter.pids.insert(o.pids.begin(), o.pids.end());
  filter.comms.insert(o.comms.begin(), o.comms.end());
  filter.uids.insert(o.uids.begin(), o.uids.end());
  for (const auto& c : o.cgroups) filter.cgroups.push_back(cgroup_filter_path(c));
  for (const auto& id : o.containers) {
    auto prefix = catalog::container_id_prefix(id);
    if (!prefix) return Error{"--container " + id + ": a container id is 12 to 64 hex digits"};
    filter.containers.push_back(*prefix);
  }
  if (o.syscalls.empty()) return filter;
  auto nrs = catalog::select_syscalls(table, catalog::all_semantics(), o.syscalls);
  if (!nrs) return Error{"--syscall: " + nrs.error().message};
  for (uint32_t nr : *nrs)
    if (nr <= UINT16_MAX) filter.syscalls.insert(static_cast<uint16_t>(nr));  // records carry 16-bit numbers
  return filter;
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
// it is one of those, which learn at the end what only the file knows.
struct Renderer {
  std::unique_ptr<Output> output;
  StatsRenderer* stats = nullptr;
  PerfettoRenderer* perfetto = nullptr;
};

Renderer renderer_for(const Options& o, const CaptureFile& capture, int64_t offset, std::ostream& out) {
  const StringOptions strings{o.decode.string_limit, o.hex};
  Renderer r;
  if (o.stats || !o.histograms.empty()) {
    auto s = std::make_unique<StatsRenderer>(out, std::cerr, StatsOptions{o.stats, o.json, o.sort, o.histograms});
    r.stats = s.get();
    r.output = std::move(s);
  } else if (!o.perfetto_path.empty()) {
    // Times count from the capture's start; since boot without a capture block.
    const int64_t origin = capture.capture() ? format::wall_clock_ns(capture.capture()->start_ns, offset) : 0;
    auto p = std::make_unique<PerfettoRenderer>(out, origin, strings);
    r.perfetto = p.get();
    r.output = std::move(p);
  } else if (o.json) {
    r.output = std::make_unique<JsonRenderer>(out);
  } else {
    r.output = std::make_unique<TextRenderer>(out, TextOptions{o.timestamps, o.durations, strings, o.decode.verbose});
  }
  return r;
}

// Records the pipeline could not parse.
struct Malformed {
  uint64_t count = 0;
  std::string first;
};

// Every record through the pipeline into the renderer, then what only the
// end of the file tells.
Malformed decode_into(CaptureFile& capture, SyscallCatalog& catalog, EventFilter filter, const Options& o,
                 int64_t offset, Renderer& r) {
  if (!capture.capture() && capture.metadata_complete())
    warn("the capture has no capture block: times are shown since boot, not wall-clock");
  Pipeline pipeline(catalog, offset, std::move(filter), *r.output, o.decode);
  LibraryCatalog libraries(capture.libraries().value_or(format::LibraryTable{}));
  for (const auto& problem : libraries.problems()) warn(problem);
  pipeline.set_libraries(std::move(libraries));
  capture.before_block_read([&] { r.output->flush(); });
  decode_all(capture, pipeline);
  if (r.stats) {
    std::optional<uint64_t> start;
    if (capture.capture()) start = capture.capture()->start_ns;
    r.stats->set_sources(
        StatsSources{capture.stats(), start, capture.syscall_table().value_or(format::SyscallTable{}).names});
  }
  if (r.perfetto && capture.stats()) r.perfetto->set_end(format::wall_clock_ns(capture.stats()->end_ns, offset));
  r.output->finish();
  return {pipeline.malformed_records(), pipeline.first_malformed()};
}

// What the file's end says about the capture; the exit status.
int report_end(const CaptureFile& capture, const Options& o, const std::string& input_name) {
  if (capture.skipped_blocks())
    warn(std::to_string(capture.skipped_blocks()) + " blocks of types this etrace-decode does not know were skipped");
  if (!o.stats && !capture.stats() && capture.end() == CaptureFile::End::kClean)
    warn("the capture has no statistics trailer: etrace-capture did not finish (it was killed, or is still "
         "writing), so the records it lost are not counted");
  if (!o.stats && capture.stats() && capture.stats()->total_lost())
    warn("the kernel dropped " + std::to_string(capture.stats()->total_lost()) +
         " records during capture (ring buffer full): some calls may be missing or shown unpaired");
  switch (capture.end()) {
    case CaptureFile::End::kClean:
      break;
    case CaptureFile::End::kTruncated:
      warn(capture.message() + ": decoded everything before it (the capture did not finish, so the records it lost are not counted)");
      break;
    case CaptureFile::End::kCorrupt:
      return fail(input_name + ": " + capture.message() + "; decoded everything before it");
    case CaptureFile::End::kDamaged:
      return fail(input_name + ": " + capture.message());
  }
  return 0;
}

int decode_capture(std::istream& in, const Options& o, const std::string& input_name) {
  CaptureFile capture(in);
  if (auto opened = capture.open(); !opened) return fail(input_name + ": " + opened.error().message);
  auto catalog = catalog_for(capture, o);
  if (!catalog) return fail(input_name + ": " + catalog.error().message);
  auto filter = filter_for(o, capture.syscall_table().value_or(format::SyscallTable{}));
  if (!filter) return fail(filter.error().message, 2);

  const std::string& out_path = o.perfetto_path.empty() ? o.output_path : o.perfetto_path;
  Destination destination;
  if (auto opened = destination.open(out_path); !opened) return fail(opened.error().message);
  std::ostream& out = destination.stream();
  const int64_t offset = capture.capture() ? capture.capture()->realtime_offset_ns : 0;
  Renderer renderer = renderer_for(o, capture, offset, out);
  const Malformed malformed = decode_into(capture, *catalog, std::move(*filter), o, offset, renderer);

  // A failed write is reported, but the file's own warnings still follow.
  int status = 0;
  if (auto closed = destination.close(); !closed) status = fail(closed.error().message);
  for (const auto& problem : catalog->problems()) warn(problem);
  if (malformed.count)
    warn(std::to_string(malformed.count) + " malformed records were skipped (first: " + malformed.first + ")");
  const int end_status = report_end(capture, o, input_name);
  return end_status ? end_status : status;
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
  if (o.input == "-") return decode_capture(std::cin, o, "standard input");
  // A directory opens, and reads as nothing at all.
  if (std::error_code ec; std::filesystem::is_directory(o.input, ec))
    return fail("cannot read " + o.input + ": it is a directory");
  std::ifstream file(o.input, std::ios::binary);
  if (!file) return fail("cannot open " + o.input + ": " + std::strerror(errno));
  return decode_capture(file, o, o.input);
}
