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

ContextRecord context_record(const etrace_context& r, std::span<const uint8_t> rest) {
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

}  // namespace

Result<std::optional<Record>> parse_record(std::span<const uint8_t> bytes) {
  etrace_header h;
  if (bytes.size() < sizeof(h)) return too_short("record header of a", bytes.size(), sizeof(h));
  std::memcpy(&h, bytes.data(), sizeof(h));
  switch (h.type) {
    case ETRACE_REC_SYS_ENTER: {
      etrace_sys_enter r;
      if (!load(bytes, r)) return too_short("syscall entry", bytes.size(), sizeof(r));
      SysEnterRecord out{common(r.h), {}, {}, {}};
      for (size_t i = 0; i < out.args.size(); ++i) out.args[i] = r.args[i];
      out.payload_error = parse_payloads(bytes.subspan(sizeof(r)), out.payloads);
      return std::optional<Record>(std::move(out));
    }
    case ETRACE_REC_SYS_EXIT: {
      etrace_sys_exit r;
      if (!load(bytes, r)) return too_short("syscall exit", bytes.size(), sizeof(r));
      SysExitRecord out{common(r.h), r.ret, {}, {}};
      out.payload_error = parse_payloads(bytes.subspan(sizeof(r)), out.payloads);
      return std::optional<Record>(std::move(out));
    }
    case ETRACE_REC_TASK: {
      etrace_task r;
      if (!load(bytes, r)) return too_short("task", bytes.size(), sizeof(r));
      return std::optional<Record>(TaskRecord{common(r.h), r.ppid, comm_of(r.comm)});
    }
    case ETRACE_REC_FORK: {
      etrace_fork r;
      if (!load(bytes, r)) return too_short("fork", bytes.size(), sizeof(r));
      return std::optional<Record>(ForkRecord{common(r.h), r.child_tgid, r.child_tid});
    }
    case ETRACE_REC_EXEC: {
      etrace_exec r;
      if (!load(bytes, r)) return too_short("exec", bytes.size(), sizeof(r));
      return std::optional<Record>(ExecRecord{common(r.h), r.old_tid, comm_of(r.comm)});
    }
    case ETRACE_REC_EXIT: {
      etrace_task_exit r;
      if (!load(bytes, r)) return too_short("task exit", bytes.size(), sizeof(r));
      return std::optional<Record>(TaskExitRecord{common(r.h), r.exit_code, r.group_dead != 0});
    }
    case ETRACE_REC_LOSS: {
      etrace_loss_record r;
      if (!load(bytes, r)) return too_short("loss", bytes.size(), sizeof(r));
      return std::optional<Record>(LossRecord{common(r.h), r.count, r.first_ts_ns, r.last_ts_ns});
    }
    case ETRACE_REC_LIB_ENTER: {
      etrace_lib_enter r;
      if (!load(bytes, r)) return too_short("library call entry", bytes.size(), sizeof(r));
      LibEnterRecord out{common(r.h), r.func, r.depth, {}, {}, {}};
      for (size_t i = 0; i < out.args.size(); ++i) out.args[i] = r.args[i];
      out.payload_error = parse_payloads(bytes.subspan(sizeof(r)), out.payloads);
      return std::optional<Record>(std::move(out));
    }
    case ETRACE_REC_LIB_EXIT: {
      etrace_lib_exit r;
      if (!load(bytes, r)) return too_short("library call return", bytes.size(), sizeof(r));
      LibExitRecord out{common(r.h), r.func, r.depth, r.ret, {}, {}};
      out.payload_error = parse_payloads(bytes.subspan(sizeof(r)), out.payloads);
      return std::optional<Record>(std::move(out));
    }
    case ETRACE_REC_FD: {
      etrace_fd_record r;
      if (!load(bytes, r)) return too_short("descriptor", bytes.size(), sizeof(r));
      const auto* target = reinterpret_cast<const char*>(bytes.data()) + sizeof(r);
      const size_t room = bytes.size() - sizeof(r);
      return std::optional<Record>(FdRecord{common(r.h), r.fd, r.flags, std::string(target, strnlen(target, room))});
    }
    case ETRACE_REC_CONTEXT: {
      etrace_context r;
      if (!load(bytes, r)) return too_short("context", bytes.size(), sizeof(r));
      return std::optional<Record>(context_record(r, bytes.subspan(sizeof(r))));
    }
    default:
      return std::optional<Record>();  // a newer writer's record type: skip it
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
