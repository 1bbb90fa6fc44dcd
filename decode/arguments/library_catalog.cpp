#include "decode/arguments/library_catalog.h"

#include <linux/types.h>

#include <cstdio>

#include "decode/arguments/payload_values.h"
#include "format/records.h"

namespace etrace::decode {
namespace {

using catalog::LibType;

std::string base_name(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A character as C writes it: 'a', '\n', '\0', '\377'.
std::string char_text(uint8_t c) {
  switch (c) {
    case '\n': return "'\\n'";
    case '\t': return "'\\t'";
    case '\r': return "'\\r'";
    case '\0': return "'\\0'";
    case '\'': return "'\\''";
    case '\\': return "'\\\\'";
    default: break;
  }
  if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  char buf[8];
  std::snprintf(buf, sizeof(buf), "'\\%o'", c);
  return buf;
}

// A register as a value of a scalar type.
Value scalar(LibType type, uint64_t reg) {
  switch (type) {
    case LibType::kInt: return SignedInt{static_cast<int32_t>(reg), 32};
    case LibType::kUint: return UnsignedInt{static_cast<uint32_t>(reg), 32};
    case LibType::kLong: return SignedInt{static_cast<int64_t>(reg)};
    case LibType::kUlong: return UnsignedInt{reg};
    case LibType::kChar: return Symbolic{static_cast<int32_t>(reg), char_text(static_cast<uint8_t>(reg)), false, 32};
    case LibType::kPointer: return Pointer{reg};
    // Memory the call's copy plan did not copy.
    case LibType::kString:
    case LibType::kBuffer: return Unshown{reg};
    default: return RawHex{reg};
  }
}

// The item copied for argument `arg` (ETRACE_ARG_RET: the result), at entry
// or at return as its op says; null when nothing was. An input the entry
// could not read was read again at return: that copy wins.
const PayloadItem* item_for(const LibraryFunctionInfo& f, const Call& call, uint8_t arg) {
  const PayloadItem* found = nullptr;
  for (const auto* payloads : {&call.enter_payloads, &call.exit_payloads})
    for (const auto& item : *payloads)
      if (item.op < f.ops.size() && f.ops[item.op].arg == arg && (!found || (found->flags & ETRACE_PAYLOAD_FAULT)))
        found = &item;
  return found;
}

Value typed(const LibraryFunctionInfo& f, const Call& call, const catalog::LibParam& p, uint8_t arg, uint64_t reg) {
  if (p.type == LibType::kString || p.type == LibType::kBuffer)
    if (const PayloadItem* item = item_for(f, call, arg))
      return bytes_value(*item, p.type == LibType::kString ? Bytes::Style::kString : Bytes::Style::kBuffer, reg);
  return scalar(p.type, reg);
}

}  // namespace

LibraryCatalog::LibraryCatalog(const format::LibraryTable& table) {
  for (const auto& f : table.functions) {
    LibraryFunctionInfo info;
    info.name = f.name;
    if (f.library < table.libraries.size()) {
      const auto& lib = table.libraries[f.library];
      info.library = lib.soname.empty() ? base_name(lib.path) : lib.soname;
    }
    info.ops = f.ops;
    if (!f.prototype.empty()) {
      auto proto = catalog::parse_prototype(f.prototype);
      if (proto)
        info.prototype = std::move(*proto);
      else
        problems_.push_back("the prototype of " + f.name + " (" + f.prototype + ") cannot be read: " +
                            proto.error().message + "; its calls are shown in hex");
    }
    functions_.push_back(std::move(info));
  }
}

const LibraryFunctionInfo& LibraryCatalog::function(uint32_t index) const {
  if (index < functions_.size()) return functions_[index];
  unknown_ = LibraryFunctionInfo{"function_" + std::to_string(index), "?", std::nullopt, {}};
  return unknown_;
}

LibraryCallValues decode_library_call(const LibraryFunctionInfo& f, const Call& call) {
  LibraryCallValues out;
  if (call.args) {
    if (f.prototype) {
      const auto& params = f.prototype->params;
      for (size_t i = 0; i < params.size(); ++i) {
        const auto arg = static_cast<uint8_t>(i);
        std::string name = params[i].name.empty() ? "arg" + std::to_string(i) : params[i].name;
        out.args.push_back({std::move(name), typed(f, call, params[i], arg, (*call.args)[i])});
        if (params[i].out && out.args_at_entry == SIZE_MAX) out.args_at_entry = i;
      }
    } else {
      for (size_t i = 0; i < call.args->size(); ++i) out.args.push_back({"arg" + std::to_string(i), RawHex{(*call.args)[i]}});
    }
  }
  if (call.ret) {
    ReturnValue r;
    r.raw = *call.ret;
    if (!f.prototype) r.value = RawHex{static_cast<uint64_t>(*call.ret)};
    else if (f.prototype->ret.type == LibType::kVoid) r.is_void = true;
    else r.value = typed(f, call, f.prototype->ret, ETRACE_ARG_RET, static_cast<uint64_t>(*call.ret));
    out.ret = std::move(r);
  }
  return out;
}

}  // namespace etrace::decode
