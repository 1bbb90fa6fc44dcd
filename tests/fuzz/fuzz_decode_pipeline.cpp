// libFuzzer entry point over the whole decoder: the input is read as a
// capture file and decoded as etrace-decode decodes it (the capture's
// metadata and BTF, record parsing, call pairing, argument and struct
// decoding, descriptor tracking) into every renderer at once: text, JSON
// Lines, statistics as text and as JSON, and the Perfetto timeline.
//
// A failure is a crash, a sanitizer report, a hang, a leak, a JSON line or
// document that does not parse, or a file refused or cut short without a
// reason. The renderers write into bounded sinks, so a crafted file cannot
// make the target hold more than a few megabytes of output.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decode/arguments/library_catalog.h"
#include "decode/arguments/syscall_catalog.h"
#include "decode/input/capture_btf.h"
#include "decode/input/capture_file.h"
#include "decode/pipeline.h"
#include "decode/render/json_renderer.h"
#include "decode/render/perfetto_renderer.h"
#include "decode/render/stats_renderer.h"
#include "decode/render/text_renderer.h"
#include "format/metadata.h"

namespace {

using namespace etrace;
using namespace etrace::decode;

// Past this, output is counted but not kept (and a document so cut is not parsed).
constexpr size_t kKeptOutput = 8 << 20;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

// The parser in full, without building the document.
bool parses(const std::string& text) { return nlohmann::json::accept(text); }

// Keeps what is written, up to kKeptOutput.
class BoundedSink : public std::streambuf {
 public:
  const std::string& kept() const { return kept_; }
  bool whole() const { return written_ == kept_.size(); }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) take(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) take(s[i]);
    return n;
  }
  virtual void take(char c) {
    ++written_;
    if (kept_.size() < kKeptOutput) kept_ += c;
  }

  std::string kept_;
  size_t written_ = 0;
};

// JSON Lines: each line must parse, as an object, when it ends.
class JsonLinesSink : public BoundedSink {
 public:
  bool ended_cleanly() const { return kept_.empty(); }

 protected:
  void take(char c) override {
    if (c != '\n') {
      BoundedSink::take(c);
      return;
    }
    require(!whole() || (parses(kept_) && kept_.front() == '{'));
    kept_.clear();
    written_ = 0;
  }
};

// Every event to every renderer.
class AllRenderers : public Output {
 public:
  explicit AllRenderers(std::vector<Output*> outputs) : outputs_(std::move(outputs)) {}
  void call(const DecodedCall& call) override {
    for (Output* o : outputs_) o->call(call);
  }
  void process(const DecodedProcessEvent& event) override {
    for (Output* o : outputs_) o->process(event);
  }
  void loss(const DecodedLoss& loss) override {
    for (Output* o : outputs_) o->loss(loss);
  }
  void signal(const DecodedSignal& signal) override {
    for (Output* o : outputs_) o->signal(signal);
  }
  void flush() override {
    for (Output* o : outputs_) o->flush();
  }
  void finish() override {
    for (Output* o : outputs_) o->finish();
  }

 private:
  std::vector<Output*> outputs_;
};

// The command line's choices, varied with the input's size so that the
// corpus reaches each of them: -y/-yy, -v, -s, -t/-tt/-ttt, -T, -x, --sort.
struct Choices {
  DecodeOptions decode;
  TextOptions text;
  StatsSort sort;
};

Choices choices_for(size_t size) {
  Choices c;
  c.decode.descriptors = static_cast<int>(size % 3);
  c.decode.verbose = (size / 3) % 2;
  c.decode.string_limit = (size / 6) % 2 ? 32 : 4096;
  c.text.timestamps = static_cast<int>((size / 12) % 4);
  c.text.durations = (size / 48) % 2;
  c.text.contexts = c.decode.verbose;
  c.text.strings = StringOptions{c.decode.string_limit, static_cast<HexStyle>((size / 96) % 3)};
  c.sort = static_cast<StatsSort>((size / 288) % 5);
  return c;
}

// A refusal or an early end must say why.
void require_reason(const std::string& message) { require(!message.empty()); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  CaptureFile capture(in);
  if (auto opened = capture.open(); !opened) {
    require_reason(opened.error().message);
    return 0;
  }
  format::CopyPlans plans = capture.copy_plans().value_or(format::CopyPlans{});
  std::vector<std::string> problems;
  auto btf = btf_for_capture(capture, "", plans, problems);
  if (!btf) {
    require_reason(btf.error().message);
    return 0;
  }
  const format::SyscallTable table = capture.syscall_table().value_or(format::SyscallTable{});
  SyscallCatalog catalog(table, capture.formats().value_or(format::TracepointFormats{}), std::move(plans),
                         std::move(*btf));
  const Choices choices = choices_for(size);
  const std::optional<format::CaptureInfo>& info = capture.capture();
  const int64_t offset = info ? info->realtime_offset_ns : 0;

  BoundedSink text_sink, stats_text_sink, stats_json_sink, perfetto_sink, warnings_sink;
  JsonLinesSink json_sink;
  std::ostream text_out(&text_sink), json_out(&json_sink), stats_text_out(&stats_text_sink),
      stats_json_out(&stats_json_sink), perfetto_out(&perfetto_sink), warnings(&warnings_sink);
  std::vector<std::string> histograms;
  if (!table.names.empty()) histograms.push_back(table.names.begin()->second);
  TextRenderer text(text_out, choices.text);
  JsonRenderer json(json_out);
  StatsRenderer stats_text(stats_text_out, warnings, StatsOptions{true, false, choices.sort, histograms});
  StatsRenderer stats_json(stats_json_out, warnings, StatsOptions{true, true, choices.sort, {}});
  const int64_t origin = info ? format::wall_clock_ns(info->start_ns, offset) : 0;
  PerfettoRenderer perfetto(perfetto_out, origin, choices.text.strings);
  AllRenderers all({&text, &json, &stats_text, &stats_json, &perfetto});

  Pipeline pipeline(catalog, offset, EventFilter{}, all, choices.decode);
  pipeline.set_libraries(LibraryCatalog(capture.libraries().value_or(format::LibraryTable{})));
  capture.before_block_read([&] { all.flush(); });
  decode_all(capture, pipeline);
  std::optional<uint64_t> start;
  if (info) start = info->start_ns;
  for (StatsRenderer* s : {&stats_text, &stats_json}) s->set_sources(StatsSources{capture.stats(), start, table.names});
  if (capture.stats()) perfetto.set_end(format::wall_clock_ns(capture.stats()->end_ns, offset));
  all.finish();

  if (capture.end() != CaptureFile::End::kClean) require_reason(capture.message());
  require(json_sink.ended_cleanly());
  if (stats_json_sink.whole()) require(parses(stats_json_sink.kept()));
  if (perfetto_sink.whole()) require(parses(perfetto_sink.kept()));
  return 0;
}
