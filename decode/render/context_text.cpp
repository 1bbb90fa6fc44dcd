#include "decode/render/context_text.h"

#include <utility>
#include <vector>

#include "decode/values/string_quote.h"
#include "decode/values/value.h"

namespace etrace::decode {
namespace {

std::string quoted(std::string_view s) {
  std::string out;
  append_quoted(out, s, HexStyle::kNone);
  return out;
}

// Every field shown, as name and text, in order.
std::vector<std::pair<std::string, std::string>> fields_of(const ProcessContext& c) {
  const format::ContextFacts& f = c.facts;
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("ppid", std::to_string(f.ppid));
  out.emplace_back("comm", quoted(f.comm));
  out.emplace_back("exe", f.exe ? quoted(*f.exe) : "?");
  for (const auto& cred : kCredentialFields) out.emplace_back(cred.name, std::to_string(f.*cred.id));
  out.emplace_back("cap_eff", hex_string(f.cap_effective));
  out.emplace_back("cgroup", f.cgroup_path ? quoted((f.cgroup_path_cut ? "..." : "") + *f.cgroup_path) : "?");
  out.emplace_back("cgroup_id", std::to_string(f.cgroup_id));
  if (c.container) out.emplace_back("container", *c.container);
  std::string ns = "{";
  for (size_t i = 0; i < f.ns.size(); ++i)
    ns += (i ? ", " : "") + std::string(format::kNamespaceNames[i]) + "=" + std::to_string(f.ns[i]);
  out.emplace_back("ns", ns + "}");
  return out;
}

}  // namespace

std::string context_text(const ProcessContext& context) {
  std::string s = "--- context";
  for (const auto& [name, text] : fields_of(context)) s += " " + name + "=" + text;
  return s + " ---";
}

std::string context_change_text(const ProcessContext& before, const ProcessContext& after) {
  const auto old_fields = fields_of(before);
  const auto new_fields = fields_of(after);
  std::string changes;
  for (const auto& [name, text] : new_fields) {
    std::string old_text = "?";
    for (const auto& [old_name, old_value] : old_fields)
      if (old_name == name) old_text = old_value;
    if (old_text != text) changes += " " + name + "=" + old_text + "->" + text;
  }
  return changes.empty() ? "" : "--- context" + changes + " ---";
}

}  // namespace etrace::decode
