#include "capture/copy_plan.h"

#include <bpf/btf.h>
#include <linux/types.h>

#include <optional>
#include <set>
#include <string_view>

#include "bpf/map_layouts.h"
#include "catalog/syscall_commands.h"
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
    case LengthSource::From::kCount:  // size is count * element
      op.len_source = ETRACE_LEN_FIXED;
      if (op.kind == ETRACE_COPY_BYTES && op.size == 1) op.size = len.count;
      break;
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
    case ArgKind::kDirents:
      op.kind = ETRACE_COPY_DIRENTS;
      op.size = 1;
      set_length(op, a.length, ETRACE_LEN_FIXED);
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
    case ArgKind::kLongPtr:
      op.kind = ETRACE_COPY_BYTES;
      op.size = 8;  // x86-64's long
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
  // A struct as long as an argument says (bpf's attr and its size): bytes.
  if (a.kind == ArgKind::kStruct && a.length.from != LengthSource::From::kNone) {
    op.size = 1;
    set_length(op, a.length, ETRACE_LEN_FIXED);
  }
  return true;
}

std::optional<uint32_t> member_offset(const struct btf* btf, int32_t id, std::string_view path);

// The byte offset of member `path` ("rt_sigframe.uc.uc_sigmask": a struct,
// then a member of each struct in turn) in `btf`; -1 when it has none.
int64_t member_offset(const struct btf* btf, const std::string& path) {
  const size_t dot = path.find('.');
  const int32_t id = btf__find_by_name_kind(btf, path.substr(0, dot).c_str(), BTF_KIND_STRUCT);
  if (id <= 0 || dot == std::string::npos) return -1;
  const auto offset = member_offset(btf, id, std::string_view(path).substr(dot + 1));
  return offset ? static_cast<int64_t>(*offset) : -1;
}

// An op reading from the stack rather than from its argument's register.
bool place_on_stack(const catalog::StackLocation& at, const struct btf* btf, std::set<std::string>& missing,
                    CopyOp& op) {
  const int64_t offset = btf ? member_offset(btf, at.member) : -1;
  if (offset < 0 || at.bias + offset > INT16_MAX || at.bias + offset < INT16_MIN) {
    if (btf) missing.insert(at.member);
    return false;
  }
  op.arg = ETRACE_ARG_SP;
  op.offset = static_cast<int16_t>(at.bias + offset);
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

// Inputs at enter, outputs at exit, value-result arguments both.
void add_directions(const CopyOp& op, Direction direction, std::vector<CopyOp>& ops) {
  if (direction != Direction::kOut) ops.push_back(op);
  if (direction != Direction::kIn) {
    CopyOp at_exit = op;
    at_exit.flags |= ETRACE_OP_AT_EXIT;
    ops.push_back(at_exit);
  }
}

std::vector<CopyOp> ops_for_arguments(const std::vector<ArgSemantics>& args, const struct btf* btf,
                                      std::set<std::string>& missing) {
  std::vector<CopyOp> ops;
  for (size_t i = 0; i < args.size(); ++i) {
    CopyOp op;
    if (!op_for(args[i], static_cast<uint8_t>(i), btf, missing, op)) continue;
    if (args[i].stack && !place_on_stack(*args[i].stack, btf, missing, op)) continue;
    add_directions(op, args[i].direction, ops);
  }
  return ops;
}

// Where `path` ("ifc_ifcu.ifcu_buf") lies in BTF struct or union `id`, in
// bytes; members of anonymous members (bpf_attr's) are found through them.
std::optional<uint32_t> member_offset(const struct btf* btf, int32_t id, std::string_view path) {
  const std::string_view name = path.substr(0, path.find('.'));
  const struct btf_type* t = btf__type_by_id(btf, btf__resolve_type(btf, id));
  if (!t || (!btf_is_struct(t) && !btf_is_union(t))) return std::nullopt;
  const struct btf_member* m = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i, ++m) {
    const uint32_t here = btf_member_bit_offset(t, i) / 8;
    const char* member = btf__name_by_offset(btf, m->name_off);
    if (member && *member == '\0') {
      if (auto inner = member_offset(btf, static_cast<int32_t>(m->type), path)) return here + *inner;
      continue;
    }
    if (!member || name != member) continue;
    if (name.size() == path.size()) return here;
    auto inner = member_offset(btf, static_cast<int32_t>(m->type), path.substr(name.size() + 1));
    if (inner) return here + *inner;
  }
  return std::nullopt;
}

// A command's copies: its arguments', then what members of its structs
// point at.
std::vector<CopyOp> command_ops(const catalog::CommandSemantics& command, const struct btf* btf,
                                std::set<std::string>& missing) {
  std::vector<CopyOp> ops = ops_for_arguments(command.args, btf, missing);
  for (const auto& nested : command.nested) {
    CopyOp op;
    const std::string& holder = command.args[nested.arg].param;
    const int32_t id = btf ? find_type(btf, holder) : -1;
    const auto offset = id > 0 ? member_offset(btf, id, nested.member) : std::nullopt;
    if (!offset || *offset > UINT16_MAX) {
      if (btf) missing.insert(holder + "." + nested.member);
      continue;
    }
    if (!op_for(nested.what, nested.arg, btf, missing, op)) continue;
    op.flags |= ETRACE_OP_INDIRECT;
    op.offset = static_cast<int16_t>(*offset);
    op.member = nested.member;
    add_directions(op, nested.what.direction, ops);
  }
  return ops;
}

// The plans of a multiplexed syscall's commands. Every command the table
// lists gets one, empty or not, so that none falls back to the syscall's.
void add_command_plans(uint32_t nr, const std::string& name, const struct btf* btf, std::set<std::string>& missing,
                       format::CopyPlans& plans, std::vector<std::string>& problems) {
  const catalog::CommandSelector* selector = catalog::command_selector(name);
  if (!selector) return;
  format::CommandPlans commands;
  commands.arg = selector->arg;
  commands.mask = selector->mask;
  for (const catalog::CommandSemantics* c : catalog::commands_of(name)) {
    std::vector<CopyOp> ops = command_ops(*c, btf, missing);
    if (ops.size() > ETRACE_MAX_COPY_OPS) {
      problems.push_back(name + " " + c->name + ": more copies than a plan holds; the last are shown as addresses");
      ops.resize(ETRACE_MAX_COPY_OPS);
    }
    commands.plans[c->value] = std::move(ops);
  }
  plans.commands[nr] = std::move(commands);
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
    std::vector<CopyOp> ops = ops_for_arguments(sem->args, btf, missing);
    if (ops.size() > ETRACE_MAX_COPY_OPS) {
      problems.push_back(name + ": more copies than a plan holds; the last arguments are shown as addresses");
      ops.resize(ETRACE_MAX_COPY_OPS);
    }
    if (!ops.empty()) plans.syscalls[nr] = std::move(ops);
    add_command_plans(nr, name, btf, missing, plans, problems);
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
    k = etrace_copy_op{op.kind, op.arg, op.len_source, op.len_arg, op.flags, op.offset, op.size};
    cfg.flags |= (op.flags & ETRACE_OP_AT_EXIT) ? ETRACE_SC_COPY_AT_EXIT : ETRACE_SC_COPY_AT_ENTER;
  }
}

void fill_command_selector(const format::CommandPlans& commands, etrace_syscall_config& cfg) {
  cfg.flags |= ETRACE_SC_COMMANDS;
  cfg.command_arg = commands.arg;
  cfg.command_mask = commands.mask;
  // The syscall's record is built by the copier whenever a command may copy.
  for (const auto& [value, ops] : commands.plans) {
    etrace_syscall_config plan{};
    fill_kernel_plan(ops, plan);
    cfg.flags |= plan.flags;
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
