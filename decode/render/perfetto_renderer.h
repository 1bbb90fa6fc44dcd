// --perfetto: Chrome trace-event JSON, which ui.perfetto.dev (and
// chrome://tracing) open as is. A track per thread, grouped by process and
// named from comm (process_name / thread_name metadata events); a complete
// ("X") slice per syscall, named after it, with its strace-like text, its
// arguments as in JSON Lines and its result in args; instant ("i") events for
// lost-event gaps (global) and for fork, exec and exit (on the thread).
//
// Written as events arrive, one event per line; only calls still unfinished
// are held back, since they end when the capture does (known at finish()).
// Times are microseconds with the nanoseconds as decimals, counted from
// `origin_wall_ns` (the capture's start): doubles hold them exactly, which
// wall-clock microseconds (16 digits before the point) they would not.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "decode/render/output.h"
#include "decode/render/value_text.h"

namespace etrace::decode {

class JsonLine;

class PerfettoRenderer : public Output {
 public:
  PerfettoRenderer(std::ostream& out, int64_t origin_wall_ns, StringOptions strings);

  // When the capture stopped (wall-clock ns), where unfinished calls end;
  // set before finish(). Without it, they end at the latest time seen.
  void set_end(std::optional<int64_t> end_wall_ns) { end_wall_ns_ = end_wall_ns; }

  void call(const DecodedCall& call) override;
  void process(const DecodedProcessEvent& event) override;
  void signal(const DecodedSignal& signal) override;
  void loss(const DecodedLoss& loss) override;
  void flush() override { out_.flush(); }
  void finish() override;

 private:
  // Starts an event of phase `ph` at wall_ns on (pid, tid).
  JsonLine event(const char* ph, const std::string& name, uint32_t pid, uint32_t tid, int64_t wall_ns);
  void write(JsonLine& j);
  // Names the thread's track (and the process's, from its leader) when first
  // seen, and again when `renamed` (an exec: the new program's name). A
  // call's comm is the one it started with, so it never renames a track.
  void name_tracks(uint32_t pid, uint32_t tid, const std::optional<std::string>& comm, bool renamed);
  void write_name(const char* what, uint32_t pid, uint32_t tid, const std::string& name);
  void slice(const DecodedCall& call, int64_t end_wall_ns);
  void seen(std::optional<int64_t> wall_ns);

  std::ostream& out_;
  int64_t origin_;
  StringOptions strings_;
  bool first_ = true;
  std::map<uint32_t, std::string> thread_names_;   // by tid
  std::map<uint32_t, std::string> process_names_;  // by pid
  std::vector<DecodedCall> unfinished_;
  std::optional<int64_t> end_wall_ns_;
  std::optional<int64_t> latest_;
};

}  // namespace etrace::decode
