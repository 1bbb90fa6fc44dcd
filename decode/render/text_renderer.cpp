#include "decode/render/text_renderer.h"

#include <algorithm>
#include <cstdio>
#include <variant>

#include "decode/render/context_text.h"
#include "decode/render/text_punctuation.h"
#include "decode/render/time_format.h"
#include "decode/values/signal_names.h"

namespace etrace::decode {

namespace {

// Memory the entry could not read: an input the exit may have read again.
bool unreadable_in(const Value& v) {
  if (std::holds_alternative<Unreadable>(v)) return true;
  if (const auto* a = std::get_if<Aggregate>(&v))
    return std::any_of(a->fields.begin(), a->fields.end(), [](const NamedValue& f) { return unreadable_in(f.value); });
  if (const auto* l = std::get_if<List>(&v)) return std::any_of(l->items.begin(), l->items.end(), unreadable_in);
  return false;
}

bool inputs_unread(const DecodedCall& call) {
  if (!call.args) return false;
  const size_t inputs = std::min(call.args_at_entry, call.args->size());
  return std::any_of(call.args->begin(), call.args->begin() + static_cast<std::ptrdiff_t>(inputs),
                     [](const NamedValue& a) { return unreadable_in(a.value); });
}

CallKey key_of(const DecodedCall& call) { return {call.seq, call.host}; }

}  // namespace

TextRenderer::TextRenderer(std::ostream& out, TextOptions options) : out_(out), lines_(out), options_(options) {}

void TextRenderer::note_thread(ThreadKey thread, const std::optional<std::string>& comm) {
  threads_seen_.insert(thread);
  if (options_.show_comm && comm) comms_[thread] = *comm;
}

void TextRenderer::show_context(ThreadKey thread, const ContextRef& context, std::optional<int64_t> wall_ns) {
  if (!options_.contexts || !context) return;
  ContextRef& shown = shown_contexts_[thread];
  if (shown == context) return;
  const std::string line = shown ? context_change_text(*shown, *context) : context_text(*context);
  shown = context;
  if (line.empty()) return;
  close_open_line();
  lines_.write(leader(thread, wall_ns) + line + "\n");
}

std::string TextRenderer::timestamp(std::optional<int64_t> wall_ns) const {
  if (options_.relative && wall_ns) {
    const int64_t since = previous_wall_ns_ ? std::max<int64_t>(0, *wall_ns - *previous_wall_ns_) : 0;
    previous_wall_ns_ = wall_ns;
    char text[32];
    std::snprintf(text, sizeof(text), "%6lld.%06lld ", static_cast<long long>(since / 1'000'000'000),
                  static_cast<long long>(since % 1'000'000'000 / 1000));
    return text;
  }
  if (options_.timestamps > 0 && wall_ns) return strace_timestamp(*wall_ns, options_.timestamps) + " ";
  return {};
}

std::string TextRenderer::leader(ThreadKey thread, std::optional<int64_t> wall_ns) const {
  std::string s = thread.host && !options_.one_thread ? "[" + *thread.host + "] " : "";
  if (options_.show_comm) {
    const auto comm = comms_.find(thread);
    s += "[pid " + std::to_string(thread.tid) + "<" + (comm == comms_.end() ? "?" : comm->second) + ">] ";
  } else if (!options_.one_thread && (threads_seen_.size() > 1 || thread.host)) {
    s += "[pid " + std::to_string(thread.tid) + "] ";
  }
  return s + timestamp(wall_ns);
}

std::string TextRenderer::entry_text(const DecodedCall& call, size_t* outputs_at) const {
  return call_text(call, options_.strings, outputs_at);
}

std::string TextRenderer::resumed_text(const DecodedCall& call) const {
  size_t outputs_at = std::string::npos;
  const std::string whole = entry_text(call, &outputs_at);
  return "<... " + call.syscall + " resumed>" + (outputs_at == std::string::npos ? "" : whole.substr(outputs_at)) + ")";
}

std::string TextRenderer::result_text(const DecodedCall& call) const {
  std::string s = " = " + (call.ret ? return_text(*call.ret, options_.strings) : std::string("?"));
  if (options_.durations && call.duration_ns) s += " <" + seconds_with_micros(*call.duration_ns) + ">";
  return s;
}

std::string TextRenderer::unfinished_text(const DecodedCall& call) const {
  // Only the inputs: what the kernel writes is shown when the call resumes.
  size_t outputs_at = std::string::npos;
  std::string text = entry_text(call, &outputs_at);
  if (outputs_at != std::string::npos) text.resize(outputs_at);
  // strace separates the last argument from the marker with a space, and
  // writes "name( <unfinished ...>" for a call without arguments.
  return text + " <unfinished ...>\n";
}

void TextRenderer::close_open_line() {
  if (!open_) return;
  const DecodedCall& c = *open_;
  std::string head = leader(thread_of(c), c.entry_wall_ns);
  // Its inputs as the completed call has them, when the entry missed some.
  if (inputs_unread(c))
    lines_.hold(key_of(c), std::move(head), unfinished_text(c), c.entry_wall_ns);
  else
    lines_.write(head + unfinished_text(c));
  open_.reset();
}

void TextRenderer::call(const DecodedCall& call) {
  const ThreadKey thread = thread_of(call);
  note_thread(thread, call.comm);
  const bool is_open = open_ && key_of(*open_) == key_of(call);
  const bool ends = call.phase == CallPhase::kCompleted || call.phase == CallPhase::kNoReturn;
  // The end of a call shown unfinished gives its held line its inputs, even
  // past the time bound.
  if (ends && !is_open && lines_.holding()) lines_.fill(key_of(call), unfinished_text(call));
  lines_.at(call.phase == CallPhase::kEntered ? call.entry_wall_ns : call.exit_wall_ns);
  switch (call.phase) {
    case CallPhase::kEntered:
      if (!is_open) close_open_line();
      show_context(thread, call.context, call.entry_wall_ns);
      open_ = call;
      return;
    case CallPhase::kCompleted:
    case CallPhase::kNoReturn:
      if (is_open) {
        lines_.write(leader(thread, call.entry_wall_ns) + entry_text(call) + ")" + result_text(call) + "\n");
        open_.reset();
        return;
      }
      close_open_line();
      lines_.write(leader(thread, call.exit_wall_ns) + resumed_text(call) + result_text(call) + "\n");
      return;
    case CallPhase::kExitOnly:
      close_open_line();
      show_context(thread, call.context, call.exit_wall_ns);
      lines_.write(leader(thread, call.exit_wall_ns) + "<... " + call.syscall + " resumed>)" + result_text(call) +
                   "\n");
      return;
    case CallPhase::kUnfinished:
      // Printed as unfinished now, unless its unfinished line already was:
      // then nothing more will come for it.
      if (is_open) close_open_line();
      lines_.release(key_of(call));
      return;
  }
}

void TextRenderer::process(const DecodedProcessEvent& event) {
  note_thread(thread_of(event), event.comm);
  lines_.at(event.wall_ns);
  if (event.kind == ProcessEventKind::kExit || event.kind == ProcessEventKind::kThreadExit)
    shown_contexts_.erase(thread_of(event));  // tids are reused
  // Like strace, only the end of a process is shown in text.
  if (event.kind != ProcessEventKind::kExit) return;
  close_open_line();
  std::string what;
  if (event.status.signaled()) {
    what = "killed by " + signal_name(event.status.signal());
    if (event.status.core_dumped()) what += " (core dumped)";
  } else {
    what = "exited with " + std::to_string(event.status.exit_code());
  }
  lines_.write(leader(thread_of(event), event.wall_ns) + "+++ " + what + " +++\n");
}

void TextRenderer::signal(const DecodedSignal& signal) {
  note_thread(thread_of(signal), signal.comm);
  lines_.at(signal.wall_ns);
  close_open_line();
  show_context(thread_of(signal), signal.context, signal.wall_ns);
  lines_.write(leader(thread_of(signal), signal.wall_ns) + "--- " + signal.name + " " +
               value_text(signal.info, options_.strings) + " ---\n");
}

void TextRenderer::loss(const DecodedLoss& loss) {
  lines_.at(loss.wall_ns);
  close_open_line();
  // Not one thread's event: a time, but no [pid N].
  lines_.write((loss.host ? "[" + *loss.host + "] " : "") + timestamp(loss.wall_ns) + "--- lost " +
               std::to_string(loss.count) + (loss.count == 1 ? " event" : " events") + " on cpu " +
               std::to_string(loss.cpu) + " ---\n");
}

void TextRenderer::finish() {
  close_open_line();
  lines_.release_all();
  out_.flush();
}

}  // namespace etrace::decode
