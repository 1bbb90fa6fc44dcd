#include "decode/text_renderer.h"

#include <cstdio>

#include "decode/context_text.h"
#include "decode/signal_names.h"
#include "decode/text_punctuation.h"
#include "decode/time_format.h"

namespace etrace::decode {
namespace {

// Bytes are cut at -s (paths excepted) and marked "..." when anything is
// missing, whether -s or the capture's own cap left it out.
void append_bytes(std::string& out, const Bytes& b, const StringOptions& strings) {
  std::string_view shown = b.data;
  if (b.style != Bytes::Style::kPath && shown.size() > strings.limit) shown = shown.substr(0, strings.limit);
  append_quoted(out, shown, strings.hex);
  if (shown.size() < b.data.size() || b.capture_cut || b.data.size() < b.full_length) out += "...";
}

void append_value(std::string& out, const Value& value, const StringOptions& strings) {
  struct Visitor {
    std::string& out;
    const StringOptions& strings;
    void operator()(const SignedInt& v) const { out += std::to_string(v.value); }
    void operator()(const UnsignedInt& v) const { out += std::to_string(v.value); }
    void operator()(const Pointer& v) const { out += v.address == 0 ? "NULL" : hex_string(v.address); }
    // strace writes hex as printf's %#x does: zero is "0".
    void operator()(const RawHex& v) const { out += v.bits ? hex_string(v.bits) : "0"; }
    void operator()(const Symbolic& v) const { out += v.text; }
    void operator()(const Bytes& v) const { append_bytes(out, v, strings); }
    void operator()(const Unreadable& v) const { out += hex_string(v.address); }
    void operator()(const Descriptor& v) const {
      out += (v.name.empty() ? std::to_string(v.fd) : v.name) + "<" + v.path + ">";
    }
    void operator()(const Aggregate& v) const {
      TextComposite s(out, TextComposite::Kind::kStruct);
      for (const auto& f : v.fields) {
        s.next(f.name);
        append_value(out, f.value, strings);
      }
      if (v.elided) s.elided();
      s.close();
    }
    void operator()(const List& v) const {
      TextComposite a(out, TextComposite::Kind::kArray);
      for (const auto& item : v.items) {
        a.next();
        append_value(out, item, strings);
      }
      if (v.more) a.elided();
      a.close();
    }
  };
  std::visit(Visitor{out, strings}, value);
}

}  // namespace

std::string value_text(const Value& value, const StringOptions& strings) {
  std::string out;
  append_value(out, value, strings);
  return out;
}

std::string return_text(const ReturnValue& ret, const StringOptions& strings) {
  if (ret.error) {
    const auto& e = *ret.error;
    // Kernel-internal codes never reach the program (the call restarts or
    // the code is converted), so, like strace, no "-1" is claimed.
    std::string text = e.kernel_internal ? "? " : "-1 ";
    text += e.name.empty() ? "errno " + std::to_string(e.number) : e.name;
    return text + " (" + e.message + ")";
  }
  if (ret.is_void) return "<void>";
  if (ret.value) return value_text(*ret.value, strings);
  // strace's %#lx: zero is "0".
  const bool hex = ret.is_address || (ret.hex && ret.raw != 0);
  std::string text = hex ? hex_string(static_cast<uint64_t>(ret.raw)) : std::to_string(ret.raw);
  if (ret.fd_path) text += "<" + *ret.fd_path + ">";
  if (ret.annotation) {
    text += " (";
    bool first = true;
    for (const auto& f : ret.annotation->fields) {
      if (!first) text += ", ";
      first = false;
      if (!f.name.empty()) text += f.name + " ";
      append_value(text, f.value, strings);
    }
    text += ")";
  }
  return text;
}

TextRenderer::TextRenderer(std::ostream& out, TextOptions options) : out_(out), options_(options) {}

void TextRenderer::note_thread(uint32_t tid) { threads_seen_.insert(tid); }

void TextRenderer::show_context(uint32_t tid, const ContextRef& context, std::optional<int64_t> wall_ns) {
  if (!options_.contexts || !context) return;
  ContextRef& shown = shown_contexts_[tid];
  if (shown == context) return;
  const std::string line = shown ? context_change_text(*shown, *context) : context_text(*context);
  shown = context;
  if (line.empty()) return;
  close_open_line();
  out_ << leader(tid, wall_ns) << line << "\n";
}

std::string TextRenderer::timestamp(std::optional<int64_t> wall_ns) const {
  if (options_.timestamps > 0 && wall_ns) return strace_timestamp(*wall_ns, options_.timestamps) + " ";
  return {};
}

std::string TextRenderer::leader(uint32_t tid, std::optional<int64_t> wall_ns) const {
  std::string s;
  if (threads_seen_.size() > 1) s = "[pid " + std::to_string(tid) + "] ";
  return s + timestamp(wall_ns);
}

std::string call_text(const DecodedCall& call, const StringOptions& strings, size_t* outputs_at) {
  std::string s = call.syscall;
  if (outputs_at) *outputs_at = std::string::npos;
  TextComposite args(s, TextComposite::Kind::kArguments);
  if (call.args) {
    for (size_t i = 0; i < call.args->size(); ++i) {
      const auto& a = (*call.args)[i];
      args.next(call.named_args ? std::string_view(a.name) : std::string_view());
      if (outputs_at && i == call.args_at_entry) *outputs_at = s.size();
      append_value(s, a.value, strings);
    }
  }
  return s;
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

void TextRenderer::close_open_line() {
  if (!open_) return;
  const DecodedCall& c = *open_;
  // Only the inputs: what the kernel writes is shown when the call resumes.
  size_t outputs_at = std::string::npos;
  std::string text = entry_text(c, &outputs_at);
  if (outputs_at != std::string::npos) text.resize(outputs_at);
  // strace separates the last argument from the marker with a space, and
  // writes "name( <unfinished ...>" for a call without arguments.
  out_ << leader(c.tid, c.entry_wall_ns) << text << " <unfinished ...>\n";
  open_.reset();
}

void TextRenderer::call(const DecodedCall& call) {
  note_thread(call.tid);
  const bool is_open = open_ && open_->seq == call.seq;
  switch (call.phase) {
    case CallPhase::kEntered:
      if (!is_open) close_open_line();
      show_context(call.tid, call.context, call.entry_wall_ns);
      open_ = call;
      return;
    case CallPhase::kCompleted:
    case CallPhase::kNoReturn:
      if (is_open) {
        out_ << leader(call.tid, call.entry_wall_ns) << entry_text(call) << ")" << result_text(call) << "\n";
        open_.reset();
        return;
      }
      close_open_line();
      out_ << leader(call.tid, call.exit_wall_ns) << resumed_text(call) << result_text(call) << "\n";
      return;
    case CallPhase::kExitOnly:
      close_open_line();
      show_context(call.tid, call.context, call.exit_wall_ns);
      out_ << leader(call.tid, call.exit_wall_ns) << "<... " << call.syscall << " resumed>)" << result_text(call)
           << "\n";
      return;
    case CallPhase::kUnfinished:
      // Printed as unfinished now, unless its unfinished line already was.
      if (is_open) close_open_line();
      return;
  }
}

void TextRenderer::process(const DecodedProcessEvent& event) {
  note_thread(event.tid);
  if (event.kind == ProcessEvent::Kind::kExit || event.kind == ProcessEvent::Kind::kThreadExit)
    shown_contexts_.erase(event.tid);  // tids are reused
  // Like strace, only the end of a process is shown in text.
  if (event.kind != ProcessEvent::Kind::kExit) return;
  close_open_line();
  std::string what;
  if (event.status.signaled()) {
    what = "killed by " + signal_name(event.status.signal());
    if (event.status.core_dumped()) what += " (core dumped)";
  } else {
    what = "exited with " + std::to_string(event.status.exit_code());
  }
  out_ << leader(event.tid, event.wall_ns) << "+++ " << what << " +++\n";
}

void TextRenderer::loss(const DecodedLoss& loss) {
  close_open_line();
  // Not one thread's event: a time, but no [pid N].
  out_ << timestamp(loss.wall_ns) << "--- lost " << loss.count << (loss.count == 1 ? " event" : " events")
       << " on cpu " << loss.cpu << " ---\n";
}

void TextRenderer::finish() {
  close_open_line();
  out_.flush();
}

}  // namespace etrace::decode
