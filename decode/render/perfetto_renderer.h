// --perfetto: Chrome trace-event JSON, which ui.perfetto.dev (and
// chrome://tracing) open as is. A track per thread, grouped by process and
// named from comm (process_name / thread_name metadata events); a complete
// ("X") slice per syscall, named after it, with its strace-like text, its
// arguments as in JSON Lines and its result in args; instant ("i") events for
// lost-event gaps (global; in a merge, the host's) and for fork, exec and exit
// (on the thread).
//
// Written as events arrive, one event per line; only calls still unfinished
// are held back, since they end when the capture does (known at finish()).
// Times are microseconds with the nanoseconds as decimals, counted from
// `origin_wall_ns` (the capture's start): doubles hold them exactly, which
// wall-clock microseconds (16 digits before the point) they would not.
//
// Events of several hosts (a merge) share one timeline, each host's
// processes apart: the trace's pids and tids, which a merge's hosts repeat,
// become track numbers of their own (see track()), the real ones shown in
// the tracks' names and in each event's args.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "decode/render/output.h"
#include "decode/render/value_text.h"

namespace etrace::decode {

class JsonLine;

class PerfettoRenderer : public Output {
 public:
  PerfettoRenderer(std::ostream& out, int64_t origin_wall_ns, StringOptions strings);

  // When the capture stopped (wall-clock ns; in a merge, the last one to),
  // where unfinished calls end; set before finish(). Without it, they end at
  // the latest time seen.
  void set_end(std::optional<int64_t> end_wall_ns) { end_wall_ns_ = end_wall_ns; }

  void call(const DecodedCall& call) override;
  void process(const DecodedProcessEvent& event) override;
  void signal(const DecodedSignal& signal) override;
  void loss(const DecodedLoss& loss) override;
  void flush() override { out_.flush(); }
  void finish() override;

 private:
  // The thread an event happened on, by its real ids.
  struct Thread {
    HostRef host;
    uint32_t pid;
    uint32_t tid;
  };
  template <typename Event>
  static Thread thread(const Event& e) {
    return {e.host, e.pid, e.tid};
  }

  // The number the trace knows (host, pid or tid) by: the id itself for one
  // capture; in a merge the next number from 1, one numbering for pids and
  // tids alike, so that a leader's tid stays its process's pid.
  uint32_t track(HostRef host, uint32_t id);
  // Starts an event of phase `ph` at wall_ns on the thread's track.
  JsonLine event(const char* ph, const std::string& name, const Thread& at, int64_t wall_ns);
  // Opens the event's args: in a merge, first the host and the real pid
  // and tid, which the track numbers no longer are.
  static void open_args(JsonLine& j, const Thread& at);
  void write(JsonLine& j);
  // Names the thread's track (and the process's, from its leader) when first
  // seen, and again when `renamed` (an exec: the new program's name). A
  // call's comm is the one it started with, so it never renames a track.
  void name_tracks(const Thread& at, const std::optional<std::string>& comm, bool renamed);
  // Names a process track; in a merge, when first named, sorts it with its
  // host's other processes.
  void name_process(HostRef host, uint32_t pid_track, const std::string& name, bool first);
  void write_name(const char* what, uint32_t pid_track, uint32_t tid_track, const std::string& name);
  void slice(const DecodedCall& call, int64_t end_wall_ns);
  void seen(std::optional<int64_t> wall_ns);

  std::ostream& out_;
  int64_t origin_;
  StringOptions strings_;
  bool first_ = true;
  std::map<uint32_t, std::string> thread_names_;   // by tid track
  std::map<uint32_t, std::string> process_names_;  // by pid track
  std::unordered_map<ThreadKey, uint32_t, ThreadKeyHash> tracks_;  // a merge's, by (host, pid or tid)
  std::map<HostRef, int> host_order_;  // a merge's hosts, as first seen
  std::vector<DecodedCall> unfinished_;
  std::optional<int64_t> end_wall_ns_;
  std::optional<int64_t> latest_;
};

}  // namespace etrace::decode
