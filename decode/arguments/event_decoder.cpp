#include "decode/arguments/event_decoder.h"

#include "catalog/syscall_commands.h"

#include "decode/arguments/argument_decoder.h"
#include "decode/arguments/return_annotation.h"
#include "decode/arguments/syscall_decoders.h"
#include "decode/values/siginfo_view.h"
#include "decode/values/xlat/xlat.h"

namespace etrace::decode {
namespace {

// Arguments shown before the first one the kernel writes (copied at exit
// only); a multiplexed syscall's command says which exist.
size_t inputs_before_outputs(const SyscallSignature& sig, const std::array<uint64_t, 6>& regs) {
  const catalog::CommandSemantics* command = catalog::find_command(sig.name, regs);
  if (!command && !sig.semantics) return SIZE_MAX;
  const auto& args = command ? command->args : sig.semantics->args;
  size_t shown = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    if (command && !command->shown(i)) continue;
    if (args[i].kind > catalog::ArgKind::kLastScalar && args[i].direction == catalog::Direction::kOut) return shown;
    ++shown;
  }
  return SIZE_MAX;
}

// A sigaction's handler as strace shows it in rt_sigaction; symbolic when an
// address too, so that JSON has one type for it.
Value handler_value(uint64_t handler) {
  const std::string text = handler == 0 ? "SIG_DFL" : handler == 1 ? "SIG_IGN" : hex_string(handler);
  return Symbolic{static_cast<int64_t>(handler), text, true};
}

}  // namespace

DecodedCall EventDecoder::decode(const CallEvent& event, std::optional<SocketFacts> socket) const {
  const Call& c = event.call;
  DecodedCall d;
  d.phase = event.phase;
  d.seq = c.seq;
  d.pid = c.tgid;
  d.tid = c.tid;
  d.comm = c.comm;
  d.context = c.context;
  if (c.enter_ns) d.entry_wall_ns = wall(*c.enter_ns);
  if (c.exit_ns) d.exit_wall_ns = wall(*c.exit_ns);
  if (event.phase == CallPhase::kCompleted && c.enter_ns && c.exit_ns && *c.exit_ns >= *c.enter_ns)
    d.duration_ns = *c.exit_ns - *c.enter_ns;
  if (c.function) {
    decode_library_call(c, d);
    return d;
  }
  const SyscallSignature& sig = catalog_.signature(c.nr);
  d.syscall = sig.name;
  d.nr = c.nr;
  if (c.args && sig.decoders && sig.decoders->named_arguments) {
    d.args = sig.decoders->named_arguments(*c.args);
    d.named_args = true;
  } else if (c.args) {
    d.args = decode_arguments(sig, c, catalog_.btf(), options_, socket);
    d.args_at_entry = inputs_before_outputs(sig, *c.args);
  }
  if (c.ret) {
    d.ret = catalog_.decode_return(sig, *c.ret);
    annotate_return(sig, c, catalog_.btf(), *d.ret);
  }
  return d;
}

void EventDecoder::decode_library_call(const Call& c, DecodedCall& d) const {
  const LibraryFunctionInfo& f = libraries_.function(*c.function);
  d.syscall = f.name;
  d.library = f.library;
  LibraryCallValues values = etrace::decode::decode_library_call(f, c);
  if (c.args) d.args = std::move(values.args);
  d.args_at_entry = values.args_at_entry;
  d.ret = std::move(values.ret);
}

DecodedProcessEvent EventDecoder::decode(const ProcessEvent& event) const {
  DecodedProcessEvent d;
  d.kind = event.kind;
  locate(d, event);
  d.child_pid = event.child_tgid;
  d.child_tid = event.child_tid;
  d.old_tid = event.old_tid;
  d.status = ExitStatus{event.status};
  return d;
}

DecodedSignal EventDecoder::decode(const SignalEvent& event) const {
  DecodedSignal d;
  d.kind = event.kind;
  locate(d, event);
  d.signo = event.signo;
  d.name = xlat::signal_text(event.signo);
  d.info = siginfo_value(event.info, [this](int nr) -> std::optional<std::string> {
    if (nr < 0 || nr > UINT16_MAX) return std::nullopt;
    const std::string& name = catalog_.signature(static_cast<uint16_t>(nr)).name;
    return name.starts_with("syscall_") ? std::nullopt : std::optional<std::string>(name);
  });
  if (event.kind == SignalKind::kDelivered) {
    d.handler = handler_value(event.handler);
    d.sa_flags = Symbolic{static_cast<int64_t>(event.sa_flags), xlat::flags_text("sa", event.sa_flags), true};
  } else {
    d.sender_pid = event.sender_tgid;
    d.sender_tid = event.sender_tid;
  }
  return d;
}

}  // namespace etrace::decode
