// Values, calls and results as strace writes them. Shared by the text
// renderer and the timeline, which puts a call's strace-like text into its
// slice.
#include "decode/render/value_text.h"

#include <algorithm>
#include <cstring>

#include "decode/render/text_punctuation.h"

namespace etrace::decode {
namespace {

// Bytes are cut at -s (paths excepted) and marked "..." when anything is
// missing, whether -s or the capture's own cap left it out.
void append_bytes(std::string& out, const Bytes& b, const StringOptions& strings) {
  if (b.style == Bytes::Style::kInt) {
    int32_t v = 0;
    std::memcpy(&v, b.data.data(), std::min(sizeof(v), b.data.size()));
    out += "[" + std::to_string(v) + "]";
    return;
  }
  std::string_view shown = b.data;
  const bool whole = b.style == Bytes::Style::kPath || b.style == Bytes::Style::kAbstractName;
  if (!whole && shown.size() > strings.limit) shown = shown.substr(0, strings.limit);
  if (b.style == Bytes::Style::kAbstractName) out += '@';
  append_quoted(out, shown, b.style == Bytes::Style::kHex ? HexStyle::kAll : strings.hex);
  if (shown.size() < b.data.size() || b.capture_cut || b.data.size() < b.full_length) out += "...";
}

void append_value(std::string& out, const Value& value, const StringOptions& strings) {
  struct Visitor {
    std::string& out;
    const StringOptions& strings;
    void operator()(const SignedInt& v) const { out += std::to_string(v.value); }
    void operator()(const UnsignedInt& v) const { out += std::to_string(v.value); }
    void operator()(const Pointer& v) const { out += v.address == 0 ? "NULL" : hex_string(v.address); }
    void operator()(const Unshown& v) const { out += v.address == 0 ? "NULL" : hex_string(v.address); }
    // strace writes hex as printf's %#x does: zero is "0".
    void operator()(const RawHex& v) const { out += v.bits ? hex_string(v.bits) : "0"; }
    void operator()(const Symbolic& v) const { out += v.text; }
    void operator()(const Bytes& v) const { append_bytes(out, v, strings); }
    void operator()(const Unreadable& v) const { out += hex_string(v.address); }
    void operator()(const Descriptor& v) const {
      out += v.name.empty() ? std::to_string(v.fd) : v.name;
      if (!v.path.empty()) out += "<" + v.path + ">";
    }
    void operator()(const Aggregate& v) const {
      TextComposite s(out, TextComposite::Kind::kStruct);
      for (const auto& f : v.fields) {
        s.next(f.bare ? std::string_view() : std::string_view(f.name));
        append_value(out, f.value, strings);
      }
      if (v.elided) s.elided();
      s.close();
    }
    void operator()(const List& v) const {
      TextComposite a(out, TextComposite::Kind::kArray);
      for (const auto& item : v.items) {
        a.next();
        append_value(out, item, strings);
      }
      if (v.more) a.elided();
      a.close();
    }
  };
  std::visit(Visitor{out, strings}, value);
}

}  // namespace

std::string value_text(const Value& value, const StringOptions& strings) {
  std::string out;
  append_value(out, value, strings);
  return out;
}

std::string return_text(const ReturnValue& ret, const StringOptions& strings) {
  if (ret.error) {
    const auto& e = *ret.error;
    // Kernel-internal codes never reach the program (the call restarts or
    // the code is converted), so, like strace, no "-1" is claimed.
    std::string text = e.kernel_internal ? "? " : "-1 ";
    text += e.name.empty() ? "errno " + std::to_string(e.number) : e.name;
    return text + " (" + e.message + ")";
  }
  if (ret.is_void) return "<void>";
  if (ret.value) return value_text(*ret.value, strings);
  // strace's %#lx: zero is "0".
  const bool hex = ret.is_address || (ret.hex && ret.raw != 0);
  std::string text = hex ? hex_string(static_cast<uint64_t>(ret.raw)) : std::to_string(ret.raw);
  if (ret.fd_path) text += "<" + *ret.fd_path + ">";
  if (ret.annotation) {
    text += " (";
    bool first = true;
    for (const auto& f : ret.annotation->fields) {
      if (!first) text += ", ";
      first = false;
      if (!f.bare && !f.name.empty()) text += f.name + " ";
      append_value(text, f.value, strings);
    }
    text += ")";
  }
  return text;
}

std::string call_text(const DecodedCall& call, const StringOptions& strings, size_t* outputs_at) {
  std::string s = call.syscall;
  if (outputs_at) *outputs_at = std::string::npos;
  TextComposite args(s, TextComposite::Kind::kArguments);
  if (call.args) {
    for (size_t i = 0; i < call.args->size(); ++i) {
      const auto& a = (*call.args)[i];
      args.next(call.named_args ? std::string_view(a.name) : std::string_view());
      if (outputs_at && i == call.args_at_entry) *outputs_at = s.size();
      append_value(s, a.value, strings);
    }
  }
  return s;
}

}  // namespace etrace::decode
