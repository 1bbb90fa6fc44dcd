#include "decode/views/descriptor_activity.h"

#include <algorithm>
#include <string_view>

#include "decode/descriptors/descriptor_text.h"

namespace etrace::decode {
namespace {

using catalog::ArgKind;
using catalog::Direction;

enum class Transfer { kNone, kRead, kWrite };

// Which way a call moves bytes through its descriptor argument `arg`. Calls
// that move them from one descriptor to another name both; the others read
// into or write from their buffer, as the semantics table directs it.
Transfer transfer_of(const SyscallSignature& sig, size_t arg) {
  struct Move {
    std::string_view syscall;
    size_t from;
    size_t to;
  };
  static constexpr Move kMoves[] = {
      {"sendfile", 1, 0}, {"splice", 0, 2}, {"tee", 0, 1}, {"copy_file_range", 0, 2}};
  for (const auto& m : kMoves)
    if (sig.name == m.syscall) return arg == m.from ? Transfer::kRead : arg == m.to ? Transfer::kWrite : Transfer::kNone;
  for (const auto& a : sig.semantics->args) {
    if (a.kind != ArgKind::kBuffer && a.kind != ArgKind::kIovec && a.kind != ArgKind::kMsghdr) continue;
    if (a.direction == Direction::kOut) return Transfer::kRead;
    if (a.direction == Direction::kIn) return Transfer::kWrite;
    return Transfer::kNone;
  }
  return Transfer::kNone;
}

// What the file came to be known as: a socket's addresses arrive after it is made.
void name_row(DescriptorRow& row, const OpenFile& file) {
  row.name = descriptor_text(file, true);
  row.protocol = file.protocol;
  row.local = file.local;
  row.peer = file.peer;
}

}  // namespace

void DescriptorActivity::count(Row& r, const SyscallSignature& sig, const Call& call, size_t arg) {
  r.kept = r.kept || now_kept_;
  ++r.row.calls;
  if (!call.ret) return;  // it never returned
  const int64_t ret = *call.ret;
  if (ret < 0 && ret >= -4095) {
    ++r.row.errors;
    return;
  }
  if (ret <= 0) return;
  switch (transfer_of(sig, arg)) {
    case Transfer::kRead: r.row.read_bytes += static_cast<uint64_t>(ret); break;
    case Transfer::kWrite: r.row.written_bytes += static_cast<uint64_t>(ret); break;
    case Transfer::kNone: break;
  }
}

void DescriptorActivity::call(const CallEvent& event, const DescriptorTables& tables, bool kept) {
  const Call& c = event.call;
  if (c.comm) comms_[c.tgid] = *c.comm;
  if (event.phase == CallPhase::kEntered) return;  // counted once, when it ends
  const std::optional<uint64_t> at = c.exit_ns ? c.exit_ns : c.enter_ns;
  now_ = at ? std::optional<int64_t>(static_cast<int64_t>(*at) + offset_) : std::nullopt;
  now_kept_ = kept;
  if (!c.args || c.function) return;
  const SyscallSignature& sig = catalog_.signature(c.nr);
  const FdTable* table = tables.find(c.tgid);
  if (!sig.semantics || !table) return;
  // Each file the call names once, however many of its descriptors it takes.
  std::vector<const OpenFile*> counted;
  const auto& args = sig.semantics->args;
  for (size_t i = 0; i < args.size() && i < c.args->size(); ++i) {
    if (args[i].kind != ArgKind::kFd) continue;
    const OpenFile* file = table->find(static_cast<int32_t>((*c.args)[i]));
    if (!file || std::find(counted.begin(), counted.end(), file) != counted.end()) continue;
    counted.push_back(file);
    if (auto it = open_.find(file); it != open_.end()) count(rows_[it->second], sig, c, i);
  }
}

void DescriptorActivity::process(const ProcessEvent& event) {
  if (event.comm) comms_[event.tgid] = *event.comm;
  now_ = static_cast<int64_t>(event.ts_ns) + offset_;
  now_kept_ = false;
}

void DescriptorActivity::snapshot() {
  now_.reset();
  now_kept_ = false;
}

void DescriptorActivity::opened(const OpenFile& file, uint32_t tgid, int32_t fd) {
  Row r;
  r.kept = now_kept_;
  r.row.kind = file.kind;
  r.row.fd = fd;
  r.row.pid = tgid;
  if (auto it = comms_.find(tgid); it != comms_.end()) r.row.comm = it->second;
  r.row.opened_ns = now_;
  open_[&file] = rows_.size();
  rows_.push_back(std::move(r));
}

void DescriptorActivity::released(const OpenFile& file) {
  auto it = open_.find(&file);
  if (it == open_.end()) return;
  DescriptorRow& row = rows_[it->second].row;
  name_row(row, file);
  row.closed_ns = now_;
  open_.erase(it);
}

std::vector<DescriptorRow> DescriptorActivity::rows() const {
  std::vector<Row> all = rows_;
  for (const auto& [file, index] : open_) name_row(all[index].row, *file);  // still open
  std::vector<DescriptorRow> out;
  for (auto& r : all) {
    if (!r.kept) continue;
    if (!r.row.comm)
      if (auto it = comms_.find(r.row.pid); it != comms_.end()) r.row.comm = it->second;
    out.push_back(std::move(r.row));
  }
  return out;
}

}  // namespace etrace::decode
