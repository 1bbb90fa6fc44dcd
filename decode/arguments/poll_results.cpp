#include "decode/arguments/poll_results.h"

#include <string>

#include "decode/arguments/call_payloads.h"
#include "decode/arguments/payload_values.h"
#include "decode/values/struct_views.h"

namespace etrace::decode {
namespace {

Aggregate timeout_note() {
  Aggregate a;
  a.fields.push_back({"timeout", Symbolic{0, "Timeout", false, 32}, true});
  return a;
}

// The struct the call wrote back into argument `arg` (a timeout's time left).
std::optional<Value> struct_at_exit(const SyscallSignature& sig, const Call& call, size_t arg, const BtfTypes* btf) {
  const ArgCopies c = copies_of(sig, call.exit_payloads, arg);
  if (!btf || !c.readable() || !c.op->btf_id) return std::nullopt;
  return render_struct(*btf, c.op->btf_id, c.items.front()->bytes, {.at_exit = true});
}

// poll and ppoll: the entries whose revents are set, then, with
// `time_left` (ppoll), what is left of the timeout.
std::optional<Aggregate> polled(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, bool time_left) {
  if (*call.ret == 0) return timeout_note();
  const ArgCopies c = copies_of(sig, call.exit_payloads, 0);
  if (!btf || !c.readable() || !c.op->btf_id) return std::nullopt;
  const uint64_t size = btf->size_of(c.op->btf_id).value_or(0);
  if (!size) return std::nullopt;
  const std::string& bytes = c.items.front()->bytes;
  const List all = render_struct_array(*btf, c.op->btf_id, bytes, bytes.size() / size, false, {.at_exit = true});
  List ready;
  for (const Value& entry : all.items) {
    const auto* fields = std::get_if<Aggregate>(&entry);
    if (!fields) continue;
    for (const auto& f : fields->fields) {
      const auto* revents = std::get_if<Symbolic>(&f.value);
      if (f.name == "revents" && revents && revents->raw != 0) ready.items.push_back(entry);
    }
  }
  Aggregate note;
  note.fields.push_back({"ready", std::move(ready), true});
  if (time_left && (*call.args)[2] != 0)
    if (auto left = struct_at_exit(sig, call, 2, btf)) note.fields.push_back({"left", std::move(*left)});
  return note;
}

// select and pselect6: the sets that hold ready descriptors, then the time left.
std::optional<Aggregate> selected(const SyscallSignature& sig, const Call& call, const BtfTypes* btf) {
  if (*call.ret == 0) return timeout_note();
  const uint64_t nfds = (*call.args)[0];
  Aggregate note;
  const char* names[] = {"in", "out", "except"};
  for (size_t arg = 1; arg <= 3; ++arg) {
    const ArgCopies c = copies_of(sig, call.exit_payloads, arg);
    if (!c.readable()) continue;
    const std::string fds = fd_list(c.items.front()->bytes, nfds);
    if (fds != "[]") note.fields.push_back({names[arg - 1], Symbolic{0, fds, false, 32}});
  }
  if (note.fields.empty()) return std::nullopt;  // the sets were not copied
  if ((*call.args)[4] != 0)
    if (auto left = struct_at_exit(sig, call, 4, btf)) note.fields.push_back({"left", std::move(*left)});
  return note;
}

}  // namespace

void annotate_poll_result(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret) {
  if (!call.ret || *call.ret < 0 || !call.args) return;
  if (auto note = polled(sig, call, btf, false)) ret.annotation = std::move(note);
}

void annotate_ppoll_result(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret) {
  if (!call.ret || *call.ret < 0 || !call.args) return;
  if (auto note = polled(sig, call, btf, true)) ret.annotation = std::move(note);
}

void annotate_select_result(const SyscallSignature& sig, const Call& call, const BtfTypes* btf, ReturnValue& ret) {
  if (!call.ret || *call.ret < 0 || !call.args) return;
  if (auto note = selected(sig, call, btf)) ret.annotation = std::move(note);
}

}  // namespace etrace::decode
