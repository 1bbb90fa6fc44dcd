#include "decode/input/record_parser.h"

#include <linux/types.h>

#include <cstring>

#include "format/records.h"

namespace etrace::decode {
namespace {

RecordHeader common(const etrace_header& h) { return {h.cpu, h.nr, h.ts_ns, h.tgid, h.tid}; }

std::string comm_of(const char (&comm)[ETRACE_COMM_LEN]) { return std::string(comm, strnlen(comm, sizeof(comm))); }

// Copies a whole record struct out of the bytes when they hold at least that much.
template <typename T>
bool load(std::span<const uint8_t> bytes, T& out) {
  if (bytes.size() < sizeof(T)) return false;
  std::memcpy(&out, bytes.data(), sizeof(T));
  return true;
}

Error too_short(const char* what, size_t got, size_t want) {
  return Error{std::string("a ") + what + " record is " + std::to_string(got) + " bytes, shorter than its " +
               std::to_string(want) + "-byte layout"};
}

// The payload items after a syscall record's fixed part, up to its end;
// returns why it stopped early, or "".
std::string parse_payloads(std::span<const uint8_t> rest, std::vector<PayloadItem>& items) {
  while (!rest.empty()) {
    etrace_payload p;
    if (rest.size() < sizeof(p)) return "a payload item header is cut off by the end of its record";
    std::memcpy(&p, rest.data(), sizeof(p));
    const size_t padded = (static_cast<size_t>(p.len) + 7) & ~size_t{7};
    if (padded > rest.size() - sizeof(p)) return "a payload item is longer than the rest of its record";
    items.push_back({p.op, p.flags, p.full_len, std::string(reinterpret_cast<const char*>(rest.data()) + sizeof(p), p.len)});
    rest = rest.subspan(sizeof(p) + padded);
  }
  return "";
}

// Each record type's fixed part, and what follows it (payload items, a
// descriptor's target), as the record the decoder works with.
Record to_record(const etrace_sys_enter& r, std::span<const uint8_t> rest) {
  SysEnterRecord out{common(r.h), {}, {}, {}};
  for (size_t i = 0; i < out.args.size(); ++i) out.args[i] = r.args[i];
  out.payload_error = parse_payloads(rest, out.payloads);
  return out;
}

Record to_record(const etrace_sys_exit& r, std::span<const uint8_t> rest) {
  SysExitRecord out{common(r.h), r.ret, {}, {}};
  out.payload_error = parse_payloads(rest, out.payloads);
  return out;
}

Record to_record(const etrace_task& r, std::span<const uint8_t>) { return TaskRecord{common(r.h), r.ppid, comm_of(r.comm)}; }

Record to_record(const etrace_fork& r, std::span<const uint8_t>) {
  return ForkRecord{common(r.h), r.child_tgid, r.child_tid};
}

Record to_record(const etrace_exec& r, std::span<const uint8_t>) {
  return ExecRecord{common(r.h), r.old_tid, comm_of(r.comm)};
}

Record to_record(const etrace_task_exit& r, std::span<const uint8_t>) {
  return TaskExitRecord{common(r.h), r.exit_code, r.group_dead != 0};
}

Record to_record(const etrace_loss_record& r, std::span<const uint8_t>) {
  return LossRecord{common(r.h), r.count, r.first_ts_ns, r.last_ts_ns};
}

Record to_record(const etrace_lib_enter& r, std::span<const uint8_t> rest) {
  LibEnterRecord out{common(r.h), r.func, r.depth, {}, {}, {}};
  for (size_t i = 0; i < out.args.size(); ++i) out.args[i] = r.args[i];
  out.payload_error = parse_payloads(rest, out.payloads);
  return out;
}

Record to_record(const etrace_lib_exit& r, std::span<const uint8_t> rest) {
  LibExitRecord out{common(r.h), r.func, r.depth, r.ret, {}, {}};
  out.payload_error = parse_payloads(rest, out.payloads);
  return out;
}

Record to_record(const etrace_fd_record& r, std::span<const uint8_t> rest) {
  const auto* target = reinterpret_cast<const char*>(rest.data());
  return FdRecord{common(r.h), r.fd, r.flags, std::string(target, strnlen(target, rest.size()))};
}

Record to_record(const etrace_signal& r, std::span<const uint8_t>) {
  return SignalRecord{common(r.h), r.signo,       r.kind,
                      r.handler,   r.sa_flags,    r.sender_tgid,
                      r.sender_tid, std::string(reinterpret_cast<const char*>(r.info), sizeof(r.info))};
}

Record to_record(const etrace_context& r, std::span<const uint8_t> rest) {
  ContextRecord out{common(r.h), {}, {}};
  format::ContextFacts& f = out.facts;
  f.pid = r.h.tgid;
  f.tid = r.h.tid;
  f.ppid = r.ppid;
  f.reason = r.reason;
  f.comm = comm_of(r.comm);
  f.uid = r.uid, f.gid = r.gid, f.suid = r.suid, f.sgid = r.sgid;
  f.euid = r.euid, f.egid = r.egid, f.fsuid = r.fsuid, f.fsgid = r.fsgid;
  f.cap_effective = r.cap_effective;
  f.cgroup_id = r.cgroup_id;
  for (size_t i = 0; i < f.ns.size(); ++i) f.ns[i] = r.ns[i];
  std::vector<PayloadItem> items;
  out.payload_error = parse_payloads(rest, items);
  std::vector<std::string> leaf_first;
  for (auto& item : items) {
    if (item.op == ETRACE_CTX_ITEM_EXE && !(item.flags & (ETRACE_PAYLOAD_FAULT | ETRACE_PAYLOAD_NULL))) {
      f.exe = std::move(item.bytes);
    } else if (item.op == ETRACE_CTX_ITEM_CGROUP) {
      if (item.flags & ETRACE_PAYLOAD_MORE) f.cgroup_path_cut = true;
      else leaf_first.push_back(std::move(item.bytes));
    }
  }
  // A record without path items is the root's (the kernel side always walks).
  f.cgroup_path = format::cgroup_path_of(leaf_first);
  return out;
}

// A record of layout Raw, called `what` in errors.
template <typename Raw>
Result<std::optional<Record>> read(std::span<const uint8_t> bytes, const char* what) {
  Raw r;
  if (!load(bytes, r)) return too_short(what, bytes.size(), sizeof(r));
  return std::optional<Record>(to_record(r, bytes.subspan(sizeof(r))));
}

}  // namespace

Result<std::optional<Record>> parse_record(std::span<const uint8_t> bytes) {
  etrace_header h;
  if (bytes.size() < sizeof(h)) return too_short("record header of a", bytes.size(), sizeof(h));
  std::memcpy(&h, bytes.data(), sizeof(h));
  switch (h.type) {
    case ETRACE_REC_SYS_ENTER: return read<etrace_sys_enter>(bytes, "syscall entry");
    case ETRACE_REC_SYS_EXIT: return read<etrace_sys_exit>(bytes, "syscall exit");
    case ETRACE_REC_TASK: return read<etrace_task>(bytes, "task");
    case ETRACE_REC_FORK: return read<etrace_fork>(bytes, "fork");
    case ETRACE_REC_EXEC: return read<etrace_exec>(bytes, "exec");
    case ETRACE_REC_EXIT: return read<etrace_task_exit>(bytes, "task exit");
    case ETRACE_REC_LOSS: return read<etrace_loss_record>(bytes, "loss");
    case ETRACE_REC_LIB_ENTER: return read<etrace_lib_enter>(bytes, "library call entry");
    case ETRACE_REC_LIB_EXIT: return read<etrace_lib_exit>(bytes, "library call return");
    case ETRACE_REC_FD: return read<etrace_fd_record>(bytes, "descriptor");
    case ETRACE_REC_CONTEXT: return read<etrace_context>(bytes, "context");
    case ETRACE_REC_SIGNAL: return read<etrace_signal>(bytes, "signal");
    default: return std::optional<Record>();  // a newer writer's record type: skip it
  }
}

const std::string& payload_error_of(const Record& r) {
  static const std::string none;
  if (const auto* e = std::get_if<SysEnterRecord>(&r)) return e->payload_error;
  if (const auto* x = std::get_if<SysExitRecord>(&r)) return x->payload_error;
  if (const auto* e = std::get_if<LibEnterRecord>(&r)) return e->payload_error;
  if (const auto* x = std::get_if<LibExitRecord>(&r)) return x->payload_error;
  if (const auto* c = std::get_if<ContextRecord>(&r)) return c->payload_error;
  return none;
}

const RecordHeader& header_of(const Record& r) {
  return std::visit([](const auto& rec) -> const RecordHeader& { return rec.h; }, r);
}

}  // namespace etrace::decode
