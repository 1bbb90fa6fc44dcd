#include "decode/capture_stream.h"

#include "decode/diagnostics.h"
#include "decode/input/capture_btf.h"

namespace etrace::decode {

namespace {

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

}  // namespace

Result<std::unique_ptr<CaptureStream>> CaptureStream::open(CaptureSet files, const Options& o) {
  auto catalog = catalog_for(files.current(), o);
  if (!catalog) return Error{files.current_name() + ": " + catalog.error().message};
  return std::unique_ptr<CaptureStream>(new CaptureStream(std::move(files), std::move(*catalog), o));
}

CaptureStream::CaptureStream(CaptureSet files, SyscallCatalog catalog, const Options& o)
    : files_(std::move(files)), catalog_(std::move(catalog)), options_(o) {
  const CaptureFile& first = files_.current();
  if (!first.capture() && first.metadata_complete())
    warn("the capture has no capture block: times are shown since boot, not wall-clock");
  if (first.capture()) {
    offset_ = first.capture()->realtime_offset_ns;
    start_ns_ = first.capture()->start_ns;
  }
  names_ = first.syscall_table().value_or(format::SyscallTable{}).names;
}

void CaptureStream::start(EventFilter filter, Output& output, DescriptorActivity* descriptors,
                          std::function<void()> before_block_read) {
  pipeline_ = std::make_unique<Pipeline>(catalog_, offset_, std::move(filter), output, options_.decode);
  LibraryCatalog libraries(files_.current().libraries().value_or(format::LibraryTable{}));
  for (const auto& problem : libraries.problems()) warn(problem);
  pipeline_->set_libraries(std::move(libraries));
  if (descriptors) pipeline_->follow_descriptors(*descriptors);
  before_block_read_ = std::move(before_block_read);
  files_.current().before_block_read(before_block_read_);
}

bool CaptureStream::step() {
  while (!ended_) {
    CaptureFile& file = files_.current();
    if (auto record = file.next_record()) {
      pipeline_->feed(record->bytes);
      return true;
    }
    if (const auto& stats = file.stats()) {
      for (const auto& [nr, c] : stats->syscalls) syscalls_written_[nr] += c.written;
      for (const auto& [index, c] : stats->functions) functions_written_[index] += c.written;
      process_written_ += stats->process_records.written;
    }
    corrupt_ = report_file_end(file, files_.current_name(), files_.size() > 1);
    ended_ = !corrupt_.empty() || files_.last();
    if (ended_) break;
    if (auto next = files_.next(); !next) {
      status_ = fail(next.error().message);
      ended_ = true;
      break;
    }
    files_.current().before_block_read(before_block_read_);
  }
  return false;
}

void CaptureStream::finish() { pipeline_->finish(); }

int CaptureStream::report_end() {
  const CaptureFile& end = files_.current();
  if (!options_.stats && !end.stats() && end.end() == CaptureFile::End::kClean)
    warn("the capture has no statistics trailer: etrace-capture did not finish (it was killed, or is still "
         "writing), so the records it lost are not counted");
  if (!options_.stats && end.stats() && end.stats()->total_lost())
    warn("the kernel dropped " + std::to_string(end.stats()->total_lost()) +
         " records during capture (ring buffer full): some calls may be missing or shown unpaired");
  if (!corrupt_.empty()) status_ = fail(corrupt_);
  return status_;
}

std::optional<int64_t> CaptureStream::start_wall_ns() const {
  if (!start_ns_) return std::nullopt;
  return format::wall_clock_ns(*start_ns_, offset_);
}

std::optional<int64_t> CaptureStream::end_wall_ns() const {
  const auto& stats = files_.current().stats();
  if (!stats) return std::nullopt;
  return format::wall_clock_ns(stats->end_ns, offset_);
}

std::optional<format::CaptureStats> CaptureStream::trailer() const {
  if (!files_.current().stats()) return std::nullopt;
  format::CaptureStats s = *files_.current().stats();
  for (const auto& [nr, n] : syscalls_written_) s.syscalls[nr].written = n;
  for (const auto& [index, n] : functions_written_) s.functions[index].written = n;
  s.process_records.written = process_written_;
  return s;
}

Decoded CaptureStream::decoded() const {
  const Pipeline& p = *pipeline_;
  return {p.malformed_records(), p.first_malformed(), p.filtering() && p.calls() > 0 && p.calls_shown() == 0,
          p.calls()};
}

}  // namespace etrace::decode
