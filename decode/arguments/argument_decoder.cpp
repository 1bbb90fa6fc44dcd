#include "decode/arguments/argument_decoder.h"

#include <linux/types.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "catalog/syscall_commands.h"
#include "decode/arguments/call_payloads.h"
#include "decode/arguments/command_structs.h"
#include "decode/arguments/msghdr_value.h"
#include "decode/arguments/payload_values.h"
#include "decode/arguments/syscall_decoders.h"
#include "decode/values/netlink/netlink_value.h"
#include "decode/values/struct_views.h"
#include "decode/values/xlat/sockaddr.h"
#include "decode/values/xlat/xlat.h"
#include "format/records.h"

namespace etrace::decode {
namespace {

using catalog::ArgKind;
using catalog::ArgSemantics;
using catalog::Direction;

// Everything one argument's decoding looks at.
struct ArgInput {
  const ArgSemantics& sem;
  const CType& type;
  uint64_t reg;
  std::vector<const PayloadItem*> in;   // copied at enter
  std::vector<const PayloadItem*> out;  // copied at exit
  const format::CopyOp* op;             // the op behind the items used
  bool at_exit;                         // `items` below are the exit copies
  std::vector<const PayloadItem*> items;
  const std::array<uint64_t, 6>& regs;  // all the call's registers
  uint64_t ret;                         // the return value, when at_exit
  std::optional<SocketFacts> socket;    // the socket the call names
  const catalog::CommandSemantics* command;  // the command a multiplexed syscall made
  const CallPlan& plan;
  const Call& call;
};

// "[3]": an int the call read or wrote through a pointer. Built in place: GCC
// 12 wrongly warns of uninitialized members for a variant made from a temporary.
Value int_value(int64_t v) { return Value(std::in_place_type<SignedInt>, SignedInt{v, 32}); }

// The width of the register's declared type, for Symbolic::bits.
uint8_t bits_of(const CType& type) { return type.known && !type.is_pointer ? static_cast<uint8_t>(type.width * 8) : 64; }

List one_int(Value v) {
  List l;
  l.items.push_back(std::move(v));
  return l;
}

Value scalar(const ArgSemantics& a, const CType& type, uint64_t reg) {
  const Value natural = value_from_register(type, reg);
  const int64_t as_int = static_cast<int32_t>(reg);
  const uint8_t bits = bits_of(type);
  switch (a.kind) {
    case ArgKind::kInt:
      // A signed type is shown whole; an int passed in an unsigned long
      // (keyctl's uid -1) or of no known type is C's int, as strace prints it.
      return std::holds_alternative<SignedInt>(natural) ? natural : Value(SignedInt{as_int});
    case ArgKind::kUint: return std::holds_alternative<UnsignedInt>(natural) ? natural : Value(UnsignedInt{reg});
    case ArgKind::kHex: return RawHex{reg};
    case ArgKind::kPtr: return Pointer{reg};
    case ArgKind::kFd: return Descriptor{as_int, "", ""};
    case ArgKind::kDirFd: return Descriptor{as_int, "", as_int == -100 ? "AT_FDCWD" : ""};
    case ArgKind::kMode: return Symbolic{static_cast<int64_t>(reg), xlat::mode_text(reg), false, bits};
    case ArgKind::kFileMode: return Symbolic{static_cast<int64_t>(reg), xlat::file_mode_text(reg), false, bits};
    case ArgKind::kSignal: return Symbolic{as_int, xlat::signal_text(as_int), false, 32};
    case ArgKind::kFlags:
      if (!xlat::has_set(a.param)) return RawHex{reg};
      return Symbolic{static_cast<int64_t>(reg), xlat::flags_text(a.param, reg), false, bits};
    case ArgKind::kEnum: {
      const int64_t v = std::holds_alternative<SignedInt>(natural) ? std::get<SignedInt>(natural).value
                                                                   : static_cast<int64_t>(reg);
      if (!xlat::has_set(a.param)) return SignedInt{v, bits};
      return Symbolic{v, xlat::enum_text(a.param, v), false, bits};
    }
    default: return natural;
  }
}

// The int or long an int_at/long_at argument points at, in its notation
// (catalog/syscall_semantics.h): `value` sign-extended, `bits` as copied.
Value pointee_value(const std::string& notation, int64_t value, uint64_t bits) {
  if (notation.empty() || notation == "int") return int_value(value);
  if (notation == "uint") return UnsignedInt{bits};
  if (notation == "hex") return RawHex{bits};
  if (notation == "ptr") return Pointer{bits};
  if (notation == "sig") return Symbolic{value, xlat::signal_text(value)};
  return Symbolic{value, xlat::enum_text(notation, value)};
}

// A struct (or an int, for int-typed copies) from its copy.
Value typed(const PayloadItem& item, const format::CopyOp& op, const BtfTypes* btf, ViewOptions view,
            uint64_t address) {
  if (item.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT)) return bytes_value(item, Bytes::Style::kBuffer, address);
  if (op.type == "int" || (!btf && op.size == 4)) return one_int(int_value(int_at(item.bytes)));
  if (!btf || !op.btf_id) return Unshown{address};
  return render_struct(*btf, op.btf_id, item.bytes, view);
}

Value array_of(const PayloadItem& item, const format::CopyOp& op, const BtfTypes* btf, ViewOptions view,
               uint64_t address) {
  if (item.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT)) return bytes_value(item, Bytes::Style::kBuffer, address);
  const bool cut = (item.flags & ETRACE_PAYLOAD_CUT) != 0;
  if (op.type == "int" || op.type == "u32") {
    List l;
    for (size_t off = 0; off + 4 <= item.bytes.size(); off += 4) l.items.push_back(int_value(int_at(item.bytes, off)));
    l.more = cut;
    return l;
  }
  if (!btf || !op.btf_id) return Unshown{address};
  const uint64_t elem = btf->size_of(op.btf_id).value_or(0);
  if (!elem) return Unshown{address};
  return render_struct_array(*btf, op.btf_id, item.bytes, item.bytes.size() / elem, cut, view);
}

Value string_list(const std::vector<const PayloadItem*>& items, uint64_t address, size_t limit) {
  List l;
  for (const PayloadItem* it : items) {
    if (it->flags & ETRACE_PAYLOAD_MORE) {
      l.more = true;
      continue;
    }
    if (it->flags & ETRACE_PAYLOAD_NULL) return Unshown{0};
    if (it->flags & ETRACE_PAYLOAD_FAULT) return l.items.empty() ? Value(Unreadable{address}) : Value(l);
    if (l.items.size() == limit) {
      l.more = true;
      break;
    }
    l.items.push_back(bytes_value(*it, Bytes::Style::kString, 0));
  }
  return l;
}

// Values the kernel reads and then overwrites that strace shows as they
// were passed: poll's array (events, not revents), select's fd sets and
// the timeouts of select, pselect6 and ppoll. Lengths and offsets it
// shows both ways ("[128 => 16]") are not among them.
bool shown_as_passed(const ArgSemantics& a) {
  if (a.direction != Direction::kInOut) return false;
  if (a.kind == ArgKind::kFdSet) return true;
  if (a.kind == ArgKind::kArray) return a.param == "pollfd";
  if (a.kind == ArgKind::kStruct) return a.param == "__kernel_timespec" || a.param == "__kernel_old_timeval";
  return false;
}

// What the syscall's own decoder (syscall_decoders.h) makes of the bytes
// copied for argument `index`; nothing leaves them to the semantics table.
std::optional<Value> special_memory(const SyscallSignature& sig, size_t index, const ArgInput& in,
                                    const DecodeOptions& options) {
  const SyscallDecoders* special = sig.decoders;
  if (!special || special->memory_arg != static_cast<int>(index)) return std::nullopt;
  if (special->memory_by_registers) return special->memory_by_registers(*in.items.front(), in.regs);
  if (!special->memory) return std::nullopt;
  return special->memory(*in.items.front(), in.reg, options.verbose);
}

// The messages a socket carries, when argument `index` holds them and the
// socket's protocol gives them a form: netlink's nlmsghdr chains.
DataDecoder socket_data(const SyscallSignature& sig, size_t index, const ArgInput& in, const DecodeOptions& options) {
  if (!sig.decoders || sig.decoders->socket_data_arg != static_cast<int>(index)) return {};
  if (!in.socket || in.socket->family != AF_NETLINK) return {};
  const int protocol = in.socket->protocol;
  const size_t limit = options.verbose ? 0 : options.string_limit;
  return [protocol, limit](const Bytes& b) { return netlink_value(b.data, b.full_length, protocol, limit); };
}

// A socklen_t, value-result: strace writes "[128 => 16]" when the kernel
// changed it, "[16]" when not; symbolic either way, for one JSON shape.
Value socklen_value(const ArgInput& in) {
  const PayloadItem& first = *in.items.front();
  if (first.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT)) return bytes_value(first, Bytes::Style::kBuffer, in.reg);
  const int64_t after = int_at(first.bytes);
  std::string text = std::to_string(after);
  if (in.at_exit && !in.in.empty() && !(in.in.front()->flags & (ETRACE_PAYLOAD_FAULT | ETRACE_PAYLOAD_NULL))) {
    const int64_t before = int_at(in.in.front()->bytes);
    if (before != after) text = std::to_string(before) + " => " + text;
  }
  return one_int(Symbolic{after, std::move(text), false, 32});
}

// A struct whose members the command chooses (command_structs.h).
std::optional<Value> command_struct(size_t index, const ArgInput& in, const BtfTypes* btf,
                                    const DecodeOptions& options) {
  if (!in.command || !btf || !in.op || !in.op->btf_id) return std::nullopt;
  const auto readable = [](const std::vector<const PayloadItem*>& items) -> const PayloadItem* {
    if (items.empty() || (items.front()->flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT))) return nullptr;
    return items.front();
  };
  const CommandStruct s{*in.command, *btf,    in.op->btf_id, readable(in.in), readable(in.out),
                        [&](std::string_view member, bool at_exit) {
                          const ArgCopies c = nested_copies(in.plan, at_exit ? in.call.exit_payloads
                                                                             : in.call.enter_payloads,
                                                            index, member);
                          return c.items.empty() ? nullptr : c.items.front();
                        },
                        in.reg,   options};
  return command_struct_value(s);
}

// The value of a pointer argument from what the capture copied for it.
Value from_memory(const SyscallSignature& sig, size_t index, const ArgInput& in, const BtfTypes* btf,
                  const DecodeOptions& options) {
  const ArgSemantics& a = in.sem;
  if (in.items.empty()) return Unshown{in.reg};  // not copied, or the call failed
  const PayloadItem& first = *in.items.front();
  const ViewOptions view{options.verbose, in.at_exit};
  switch (a.kind) {
    case ArgKind::kPath: return bytes_value(first, Bytes::Style::kPath, in.reg);
    case ArgKind::kString: return bytes_value(first, Bytes::Style::kString, in.reg);
    case ArgKind::kBuffer: {
      if (auto v = special_memory(sig, index, in, options)) return std::move(*v);
      Value bytes = bytes_value(first, Bytes::Style::kBuffer, in.reg);
      if (const auto* b = std::get_if<Bytes>(&bytes))
        if (const DataDecoder data = socket_data(sig, index, in, options))
          if (auto decoded = data(*b)) return std::move(*decoded);
      return bytes;
    }
    case ArgKind::kStruct:
      if (auto v = command_struct(index, in, btf, options)) return std::move(*v);
      return typed(first, *in.op, btf, view, in.reg);
    case ArgKind::kMsghdr:
      return msghdr_value(in.items, in.reg, options.string_limit,
                          in.at_exit ? std::optional<uint64_t>(in.ret) : std::nullopt,
                          socket_data(sig, index, in, options));
    case ArgKind::kArray: return array_of(first, *in.op, btf, view, in.reg);
    case ArgKind::kSockaddr:
      if (first.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT)) return bytes_value(first, Bytes::Style::kBuffer, in.reg);
      return xlat::sockaddr_value(first.bytes);
    case ArgKind::kSocklen: return socklen_value(in);
    case ArgKind::kIntPtr:
    case ArgKind::kLongPtr: {
      if (first.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT)) return bytes_value(first, Bytes::Style::kBuffer, in.reg);
      if (auto v = special_memory(sig, index, in, options)) return std::move(*v);
      const bool is_long = a.kind == ArgKind::kLongPtr;
      if (first.bytes.size() < (is_long ? 8u : 4u)) return Pointer{in.reg};
      uint64_t bits = 0;
      std::memcpy(&bits, first.bytes.data(), is_long ? 8 : 4);
      return one_int(pointee_value(a.param, is_long ? static_cast<int64_t>(bits) : int_at(first.bytes), bits));
    }
    case ArgKind::kIovec:
      return iovecs(in.items, in.reg, options.string_limit, in.at_exit ? std::optional<uint64_t>(in.ret) : std::nullopt);
    case ArgKind::kStringArray: return string_list(in.items, in.reg, options.string_limit);
    case ArgKind::kEnvArray:
      if (first.flags & ETRACE_PAYLOAD_NULL) return Unshown{0};
      return Symbolic{static_cast<int64_t>(in.reg),
                      hex_string(in.reg) + " /* " + std::to_string(first.full_len) +
                          (first.flags & ETRACE_PAYLOAD_MORE ? "+" : "") + " vars */"};
    case ArgKind::kSigset:
      if (first.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT)) return bytes_value(first, Bytes::Style::kBuffer, in.reg);
      if (auto v = special_memory(sig, index, in, options)) return std::move(*v);
      return Symbolic{0, xlat::sigset_text(first.bytes)};
    case ArgKind::kFdSet:
      if (first.flags & (ETRACE_PAYLOAD_NULL | ETRACE_PAYLOAD_FAULT)) return bytes_value(first, Bytes::Style::kBuffer, in.reg);
      return Symbolic{0, fd_list(first.bytes, in.regs[in.op->len_arg % 6])};
    case ArgKind::kDirents:
      if (auto v = dirents_value(in.items, in.reg, options.verbose)) return std::move(*v);
      return bytes_value(first, Bytes::Style::kBuffer, in.reg);
    default: return Unshown{in.reg};
  }
}

bool makes_pair(catalog::FdEffect effect) {
  return effect == catalog::FdEffect::kPipe || effect == catalog::FdEffect::kPipe2 ||
         effect == catalog::FdEffect::kSocketpair;
}

// pipe's and socketpair's [3, 4] are descriptors.
void descriptors_in(Value& pair) {
  if (auto* list = std::get_if<List>(&pair))
    for (auto& item : list->items)
      if (const auto* fd = std::get_if<SignedInt>(&item)) item = Descriptor{fd->value, "", ""};
}

}  // namespace

std::vector<NamedValue> decode_arguments(const SyscallSignature& sig, const Call& call, const BtfTypes* btf,
                                         const DecodeOptions& options, std::optional<SocketFacts> socket) {
  std::vector<NamedValue> out;
  if (!call.args) return out;
  const auto& regs = *call.args;
  if (!sig.have_format && !sig.semantics) {
    for (size_t i = 0; i < regs.size(); ++i) out.push_back({"arg" + std::to_string(i), RawHex{regs[i]}});
    return out;
  }
  static const CType kUnknownType{};
  // A multiplexed syscall's command says which arguments there are and what
  // they are; the syscall's own decoders are for the other calls.
  const catalog::CommandSemantics* command = catalog::find_command(sig.name, regs);
  const CallPlan plan = call_plan(sig, regs);
  const std::vector<ArgSemantics>* semantics = command ? &command->args : sig.semantics ? &sig.semantics->args : nullptr;
  const SyscallDecoders* special = command ? nullptr : sig.decoders;
  size_t count = sig.have_format ? sig.args.size() : sig.semantics->args.size();
  if (command) {
    count = std::min(count, command->args.size());
  } else if (sig.semantics) {
    // Arguments on the stack come after the registers the format lists.
    for (size_t i = count; i < sig.semantics->args.size(); ++i)
      if (sig.semantics->args[i].stack) count = i + 1;
  }
  if (special && special->shown) count = std::min(count, special->shown(regs));
  for (size_t i = 0; i < count; ++i) {
    if (command && !command->shown(i)) continue;
    std::string name = i < sig.args.size() ? sig.args[i].name : "arg" + std::to_string(i);
    const CType& type = i < sig.args.size() ? sig.args[i].type : kUnknownType;
    if (!semantics || i >= semantics->size()) {
      out.push_back({name, value_from_register(type, regs[i])});
      continue;
    }
    const ArgSemantics& a = (*semantics)[i];
    if (a.stack) {
      // Named by the struct it is read from; left out when it was not copied.
      if (copies_of(plan, call.enter_payloads, ETRACE_ARG_SP).items.empty()) continue;
      if (i >= sig.args.size()) name = a.stack->member.substr(0, a.stack->member.find('.'));
    }
    if (special && special->dependent && special->dependent_arg == static_cast<int>(i)) {
      out.push_back({name, special->dependent(regs)});
      continue;
    }
    if (a.kind <= ArgKind::kLastScalar) {
      out.push_back({name, scalar(a, type, regs[i])});
      continue;
    }
    // An argument on the stack was copied by the op reading from the stack pointer.
    const size_t source = a.stack ? ETRACE_ARG_SP : i;
    const ArgCopies at_enter = copies_of(plan, call.enter_payloads, source);
    const ArgCopies at_exit = copies_of(plan, call.exit_payloads, source);
    ArgInput in{a,       type,   regs[i], at_enter.items, at_exit.items, nullptr, false, {}, regs,
                static_cast<uint64_t>(std::max<int64_t>(call.ret.value_or(0), 0)), socket, command, plan, call};
    // Outputs are shown as they were when the call returned; inputs as
    // they were when it started, and so are the values the kernel updates
    // in place that strace shows as passed (the return annotation tells
    // what came back). A call returning no process id wrote no outputs.
    const bool wrote_outputs = sig.semantics->ret != catalog::ReturnKind::kPid || call.ret.value_or(0) > 0;
    if (a.direction != Direction::kIn && !in.out.empty() && !shown_as_passed(a) && wrote_outputs) {
      in.items = in.out;
      in.op = at_exit.op;
      in.at_exit = true;
    } else if (a.direction != Direction::kOut) {
      in.items = in.in;
      in.op = at_enter.op;
      // An input the enter could not read (all of it, or an element of it)
      // was read again at exit.
      const bool faulted = std::any_of(in.in.begin(), in.in.end(),
                                       [](const PayloadItem* p) { return p->flags & ETRACE_PAYLOAD_FAULT; });
      if (!in.out.empty() && faulted) {
        in.items = in.out;
        in.op = at_exit.op;
      }
    }
    out.push_back({name, from_memory(sig, i, in, btf, options)});
    if (a.kind == ArgKind::kArray && makes_pair(sig.semantics->fds)) descriptors_in(out.back().value);
  }
  return out;
}

}  // namespace etrace::decode
