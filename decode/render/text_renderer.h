// strace -f style text: one line per call, written when the call completes.
// When another thread's event arrives while a call is in progress, the call
// is shown as `name(args <unfinished ...>` and its end later as
// `<... name resumed>) = ret`, exactly as strace interleaves threads.
// An unfinished line whose inputs the entry could not all read (they are
// read again at exit) waits for the completed call, which has them
// (held_lines.h): strace shows them in that line, having read them then.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "decode/render/held_lines.h"
#include "decode/render/output.h"
#include "decode/render/value_text.h"

namespace etrace::decode {


struct TextOptions {
  int timestamps = 0;      // -t count: 0 none, 1 HH:MM:SS, 2 with µs, 3 epoch seconds
  bool durations = false;  // -T
  StringOptions strings = {};  // "= {}": TextOptions{2, true} may leave it out under -Wextra
  bool contexts = false;       // -v: a line when a thread's process context appears or changes
  bool relative = false;       // -r: the time since the previous line's instead of -t's
  bool show_comm = false;      // -Y: every line names its thread and process, [pid N<comm>]
  bool one_thread = false;     // -ff: the output is one thread's, which no line needs to name
};

class TextRenderer : public Output {
 public:
  TextRenderer(std::ostream& out, TextOptions options);

  void call(const DecodedCall& call) override;
  void process(const DecodedProcessEvent& event) override;
  void signal(const DecodedSignal& signal) override;
  void loss(const DecodedLoss& loss) override;
  // Pushes out the lines before the first held one, never that one: its
  // call mostly ends within microseconds, in the same frame. Otherwise the
  // bounds of held_lines.h let it out as later events come, so a live view
  // lags by at most 100 ms of events; while the trace is idle, it waits.
  void flush() override { out_.flush(); }
  void finish() override;

 private:
  void note_thread(ThreadKey thread, const std::optional<std::string>& comm);
  // With `contexts`: the thread's context, when it is not the one last shown.
  void show_context(ThreadKey thread, const ContextRef& context, std::optional<int64_t> wall_ns);
  // Ends the line of the call whose entry is not yet printed, as unfinished.
  void close_open_line();
  // "[host] [pid N] time ": who and when, as much as the output needs.
  std::string leader(ThreadKey thread, std::optional<int64_t> wall_ns) const;
  std::string timestamp(std::optional<int64_t> wall_ns) const;
  // call_text() with this renderer's string options.
  std::string entry_text(const DecodedCall& call, size_t* outputs_at = nullptr) const;
  // "name(inputs <unfinished ...>\n": a call's unfinished line, after its leader.
  std::string unfinished_text(const DecodedCall& call) const;
  // "<... name resumed>outputs)": the rest of a call shown unfinished.
  std::string resumed_text(const DecodedCall& call) const;
  std::string result_text(const DecodedCall& call) const;  // " = ret" and the duration

  std::ostream& out_;
  HeldLines lines_;  // every line goes through it, to out_
  TextOptions options_;
  std::optional<DecodedCall> open_;  // entered; nothing printed for it yet
  std::unordered_set<ThreadKey, ThreadKeyHash> threads_seen_;
  std::unordered_map<ThreadKey, ContextRef, ThreadKeyHash> shown_contexts_;
  std::unordered_map<ThreadKey, std::string, ThreadKeyHash> comms_;  // for -Y
  mutable std::optional<int64_t> previous_wall_ns_;          // for -r
};

}  // namespace etrace::decode
