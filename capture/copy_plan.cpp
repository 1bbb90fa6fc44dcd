#include "capture/copy_plan.h"

#include <bpf/btf.h>
#include <linux/types.h>

#include <set>

#include "bpf/map_layouts.h"
#include "catalog/syscall_semantics.h"
#include "format/records.h"

namespace etrace::capture {
namespace {

using catalog::ArgKind;
using catalog::ArgSemantics;
using format::CopyOp;
using catalog::Direction;
using catalog::LengthSource;

// A type the table names: a struct, a union, a typedef or a base type.
int32_t find_type(const struct btf* btf, const std::string& name) {
  for (int kind : {BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF, BTF_KIND_INT}) {
    int32_t id = btf__find_by_name_kind(btf, name.c_str(), kind);
    if (id > 0) return id;
  }
  return -1;
}

void set_length(CopyOp& op, const LengthSource& len, uint8_t default_source) {
  switch (len.from) {
    case LengthSource::From::kNone: op.len_source = default_source; break;
    case LengthSource::From::kCount: op.len_source = ETRACE_LEN_FIXED; break;  // size is count * element
    case LengthSource::From::kArg: op.len_source = ETRACE_LEN_ARG; break;
    case LengthSource::From::kReturn: op.len_source = ETRACE_LEN_RET; break;
    case LengthSource::From::kArgDeref: op.len_source = ETRACE_LEN_ARG_DEREF; break;
  }
  op.len_arg = len.arg;
}

// The op of an argument whose size needs no BTF; false for the kinds whose
// size does, and for those that copy nothing.
bool untyped_op(const ArgSemantics& a, CopyOp& op) {
  switch (a.kind) {
    case ArgKind::kPath:
    case ArgKind::kString:
      op.kind = ETRACE_COPY_STRING;
      return true;
    case ArgKind::kStringArray:
      op.kind = ETRACE_COPY_STRINGS;
      return true;
    case ArgKind::kEnvArray:
      op.kind = ETRACE_COPY_COUNT;
      return true;
    case ArgKind::kIovec:
      op.kind = ETRACE_COPY_IOVEC;
      set_length(op, a.length, ETRACE_LEN_FIXED);
      return true;
    case ArgKind::kBuffer:
    case ArgKind::kSockaddr:
    case ArgKind::kSigset:
      op.kind = ETRACE_COPY_BYTES;
      op.size = 1;
      set_length(op, a.length, ETRACE_LEN_FIXED);
      // An address or a signal set is one value: never cut by --bytes.
      if (a.kind != ArgKind::kBuffer) op.flags |= ETRACE_OP_WHOLE;
      return true;
    case ArgKind::kFdSet:
      op.kind = ETRACE_COPY_BYTES;
      op.len_source = ETRACE_LEN_ARG_BITS;
      op.len_arg = a.length.arg;
      op.flags |= ETRACE_OP_WHOLE;
      return true;
    case ArgKind::kSocklen:
    case ArgKind::kIntPtr:
      op.kind = ETRACE_COPY_BYTES;
      op.size = 4;  // an int on every Linux ABI: no BTF needed
      op.flags |= ETRACE_OP_WHOLE;
      return true;
    default:
      return false;
  }
}

// The op of a struct, an array of them or a msghdr: its size and type id
// come from BTF. False without them (the type then goes to `missing`).
bool typed_op(const ArgSemantics& a, const struct btf* btf, std::set<std::string>& missing, CopyOp& op) {
  if (a.kind == ArgKind::kMsghdr) {
    op.kind = ETRACE_COPY_MSGHDR;
    op.type = "user_msghdr";
  } else {
    op.kind = ETRACE_COPY_BYTES;
    op.type = a.param;
    op.flags |= ETRACE_OP_WHOLE;
    if (a.kind == ArgKind::kArray) set_length(op, a.length, ETRACE_LEN_FIXED);
  }
  const int32_t id = btf ? find_type(btf, op.type) : -1;
  const int64_t size = id > 0 ? btf__resolve_size(btf, id) : -1;
  if (size <= 0) {
    if (btf) missing.insert(op.type);
    return false;
  }
  op.btf_id = static_cast<uint32_t>(id);
  op.size = static_cast<uint32_t>(size);
  if (a.length.from == LengthSource::From::kCount) op.size *= a.length.count;
  return true;
}

// The op for one argument in one direction; false when it copies nothing
// (its value lives in the register).
bool op_for(const ArgSemantics& a, uint8_t arg, const struct btf* btf, std::set<std::string>& missing, CopyOp& op) {
  op = CopyOp{};
  op.arg = arg;
  switch (a.kind) {
    case ArgKind::kStruct:
    case ArgKind::kArray:
    case ArgKind::kMsghdr:
      return typed_op(a, btf, missing, op);
    default:
      return untyped_op(a, op);
  }
}

}  // namespace

format::CopyPlans derive_copy_plans(const format::SyscallTable& table, const struct btf* btf, CopyCaps caps,
                                    std::vector<std::string>& problems) {
  format::CopyPlans plans;
  plans.bytes_cap = caps.bytes;
  plans.string_cap = caps.string;
  std::set<std::string> missing;
  for (const auto& [nr, name] : table.names) {
    const catalog::SyscallSemantics* sem = catalog::find_semantics(name);
    if (!sem) continue;
    std::vector<CopyOp> ops;
    for (size_t i = 0; i < sem->args.size(); ++i) {
      const ArgSemantics& a = sem->args[i];
      CopyOp op;
      if (!op_for(a, static_cast<uint8_t>(i), btf, missing, op)) continue;
      // Inputs at enter, outputs at exit, value-result arguments both.
      if (a.direction != Direction::kOut) ops.push_back(op);
      if (a.direction != Direction::kIn) {
        op.flags |= ETRACE_OP_AT_EXIT;
        ops.push_back(op);
      }
    }
    if (ops.size() > ETRACE_MAX_COPY_OPS) {
      problems.push_back(name + ": more copies than a plan holds; the last arguments are shown as addresses");
      ops.resize(ETRACE_MAX_COPY_OPS);
    }
    if (!ops.empty()) plans.syscalls[nr] = std::move(ops);
  }
  if (!btf)
    problems.push_back("no kernel BTF: structs are not copied, their arguments are shown as addresses");
  for (const auto& type : missing)
    problems.push_back("kernel BTF has no type '" + type + "': arguments of that type are shown as addresses");
  return plans;
}

void fill_kernel_plan(const std::vector<format::CopyOp>& ops, etrace_syscall_config& cfg) {
  cfg.n_ops = 0;
  for (const auto& op : ops) {
    if (cfg.n_ops == ETRACE_MAX_COPY_OPS) break;
    etrace_copy_op& k = cfg.ops[cfg.n_ops++];
    k = etrace_copy_op{op.kind, op.arg, op.len_source, op.len_arg, op.flags, 0, op.size};
    cfg.flags |= (op.flags & ETRACE_OP_AT_EXIT) ? ETRACE_SC_COPY_AT_EXIT : ETRACE_SC_COPY_AT_ENTER;
  }
}

std::vector<format::CopyOp> library_copy_ops(const catalog::LibPrototype& proto) {
  std::vector<CopyOp> ops;
  auto add = [&](uint8_t arg, const catalog::LibParam& p) {
    CopyOp op;
    op.arg = arg;
    if (p.out || arg == ETRACE_ARG_RET) op.flags |= ETRACE_OP_AT_EXIT;
    if (p.type == catalog::LibType::kString) {
      op.kind = ETRACE_COPY_STRING;
    } else {
      op.kind = ETRACE_COPY_BYTES;
      op.size = 1;
      op.len_source = p.length_ret ? ETRACE_LEN_RET : ETRACE_LEN_ARG;
      op.len_arg = p.length_arg.value_or(0);
      // Only known once the function returned.
      if (p.length_ret) op.flags |= ETRACE_OP_AT_EXIT;
    }
    ops.push_back(op);
  };
  for (size_t i = 0; i < proto.params.size(); ++i) {
    const auto type = proto.params[i].type;
    if (type == catalog::LibType::kString || type == catalog::LibType::kBuffer) add(static_cast<uint8_t>(i), proto.params[i]);
  }
  if (proto.ret.type == catalog::LibType::kString) add(ETRACE_ARG_RET, proto.ret);
  return ops;
}

etrace_syscall_config library_kernel_config(const format::LibraryFunction& function) {
  etrace_syscall_config cfg{};
  cfg.flags = ETRACE_SC_TRACE;
  fill_kernel_plan(function.ops, cfg);
  auto proto = catalog::parse_prototype(function.prototype);
  if (proto && proto->ret.type == catalog::LibType::kVoid) cfg.flags |= ETRACE_SC_RET_VOID;
  return cfg;
}

}  // namespace etrace::capture
