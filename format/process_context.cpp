#include "format/process_context.h"

#include <cstring>

namespace etrace::format {
namespace {

// Appends one payload item: its header, the bytes, zero padding to 8.
void put_item(std::vector<uint8_t>& out, uint8_t op, uint8_t flags, std::string_view bytes) {
  etrace_payload p{};
  p.op = op;
  p.flags = flags;
  p.len = static_cast<__u16>(bytes.size());
  p.full_len = static_cast<__u32>(bytes.size());
  const size_t at = out.size();
  out.resize(at + sizeof(p) + ((bytes.size() + 7) & ~size_t{7}), 0);
  std::memcpy(out.data() + at, &p, sizeof(p));
  std::memcpy(out.data() + at + sizeof(p), bytes.data(), bytes.size());
}

std::vector<std::string_view> components_leaf_first(std::string_view path) {
  std::vector<std::string_view> out;
  size_t end = path.size();
  while (end > 0) {
    size_t slash = path.rfind('/', end - 1);
    size_t begin = slash == std::string_view::npos ? 0 : slash + 1;
    if (end > begin) out.push_back(path.substr(begin, end - begin));
    if (slash == std::string_view::npos) break;
    end = slash;
  }
  return out;
}

}  // namespace

std::vector<uint8_t> encode_context_record(const ContextFacts& f, uint64_t ts_ns, uint16_t cpu) {
  etrace_context r{};
  r.h.type = ETRACE_REC_CONTEXT;
  r.h.cpu = cpu;
  r.h.nr = ETRACE_NR_UNKNOWN;
  r.h.ts_ns = ts_ns;
  r.h.tgid = f.pid;
  r.h.tid = f.tid;
  r.ppid = f.ppid;
  r.reason = f.reason;
  r.uid = f.uid, r.gid = f.gid, r.suid = f.suid, r.sgid = f.sgid;
  r.euid = f.euid, r.egid = f.egid, r.fsuid = f.fsuid, r.fsgid = f.fsgid;
  r.cap_effective = f.cap_effective;
  r.cgroup_id = f.cgroup_id;
  for (size_t i = 0; i < f.ns.size(); ++i) r.ns[i] = f.ns[i];
  std::strncpy(r.comm, f.comm.c_str(), sizeof(r.comm) - 1);

  std::vector<uint8_t> out(sizeof(r));
  if (f.exe) put_item(out, ETRACE_CTX_ITEM_EXE, 0, *f.exe);
  if (f.cgroup_path)
    for (std::string_view c : components_leaf_first(*f.cgroup_path)) put_item(out, ETRACE_CTX_ITEM_CGROUP, 0, c);
  r.h.size = static_cast<__u16>(out.size());
  std::memcpy(out.data(), &r, sizeof(r));
  return out;
}

std::string cgroup_path_of(const std::vector<std::string>& leaf_first) {
  if (leaf_first.empty()) return "/";
  std::string path;
  for (auto it = leaf_first.rbegin(); it != leaf_first.rend(); ++it) path += "/" + *it;
  return path;
}

std::string normalized_path(std::string_view path) {
  std::string out;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty() && part != ".") out.append("/").append(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out.empty() ? "/" : out;
}

bool cgroup_contains(std::string_view cgroup, std::string_view path) {
  if (cgroup == "/" || cgroup == path) return true;
  return path.size() > cgroup.size() && path.substr(0, cgroup.size()) == cgroup && path[cgroup.size()] == '/';
}

}  // namespace etrace::format
