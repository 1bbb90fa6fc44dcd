#include "decode/text_renderer.h"

#include <cstdio>

#include "decode/signal_names.h"
#include "decode/time_format.h"

namespace etrace::decode {

std::string value_text(const Value& value) {
  struct Visitor {
    std::string operator()(const SignedInt& v) const { return std::to_string(v.value); }
    std::string operator()(const UnsignedInt& v) const { return std::to_string(v.value); }
    std::string operator()(const Pointer& v) const { return v.address == 0 ? "NULL" : hex_string(v.address); }
    std::string operator()(const RawHex& v) const { return hex_string(v.bits); }
    std::string operator()(const Symbolic&) const { return "?"; }  // TODO(renderers): every kind
    std::string operator()(const Bytes&) const { return "?"; }
    std::string operator()(const Unreadable&) const { return "?"; }
    std::string operator()(const Aggregate&) const { return "?"; }
    std::string operator()(const List&) const { return "?"; }
  };
  return std::visit(Visitor{}, value);
}

std::string return_text(const ReturnValue& ret) {
  if (ret.error) {
    const auto& e = *ret.error;
    // Kernel-internal codes never reach the program (the call restarts or
    // the code is converted), so, like strace, no "-1" is claimed.
    std::string text = e.kernel_internal ? "? " : "-1 ";
    text += e.name.empty() ? "errno " + std::to_string(e.number) : e.name;
    return text + " (" + e.message + ")";
  }
  if (ret.is_address) return hex_string(static_cast<uint64_t>(ret.raw));
  return std::to_string(ret.raw);
}

TextRenderer::TextRenderer(std::ostream& out, TextOptions options) : out_(out), options_(options) {}

void TextRenderer::note_thread(uint32_t tid) { threads_seen_.insert(tid); }

std::string TextRenderer::leader(uint32_t tid, std::optional<int64_t> wall_ns) const {
  std::string s;
  if (threads_seen_.size() > 1) s = "[pid " + std::to_string(tid) + "] ";
  if (options_.timestamps > 0 && wall_ns) s += strace_timestamp(*wall_ns, options_.timestamps) + " ";
  return s;
}

std::string TextRenderer::entry_text(const DecodedCall& call) const {
  std::string s = call.syscall + "(";
  if (call.args) {
    bool first = true;
    for (const auto& a : *call.args) {
      if (!first) s += ", ";
      s += value_text(a.value);
      first = false;
    }
  }
  return s;
}

std::string TextRenderer::result_text(const DecodedCall& call) const {
  std::string s = " = " + (call.ret ? return_text(*call.ret) : std::string("?"));
  if (options_.durations && call.duration_ns) s += " <" + seconds_with_micros(*call.duration_ns) + ">";
  return s;
}

void TextRenderer::close_open_line() {
  if (!open_) return;
  const DecodedCall& c = *open_;
  std::string text = entry_text(c);
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
      out_ << leader(call.tid, call.exit_wall_ns) << "<... " << call.syscall << " resumed>)" << result_text(call)
           << "\n";
      return;
    case CallPhase::kExitOnly:
      close_open_line();
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

void TextRenderer::finish() {
  close_open_line();
  out_.flush();
}

}  // namespace etrace::decode
