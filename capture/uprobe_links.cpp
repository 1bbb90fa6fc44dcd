#include "capture/uprobe_links.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <algorithm>
#include <map>

namespace etrace::capture {
namespace {

// BPF_LINK_CREATE for a multi-uprobe link. Debian 12's libbpf (1.1.2) has
// no bpf_program__attach_uprobe_multi, its bpf_link_create_opts no
// uprobe_multi member, and its linux/bpf.h (Linux 6.1) predates them all:
// the attributes are laid out here as the kernel UAPI lays out union
// bpf_attr's link_create since Linux 6.6 (include/uapi/linux/bpf.h), and
// the command is issued with the bpf(2) system call directly.
struct UprobeMultiAttr {
  uint32_t prog_fd;
  uint32_t target_fd;
  uint32_t attach_type;
  uint32_t flags;
  uint64_t path;             // uprobe_multi.path: a C string
  uint64_t offsets;          // file offsets, cnt of them
  uint64_t ref_ctr_offsets;  // none
  uint64_t cookies;          // bpf_get_attach_cookie() of each probe
  uint32_t cnt;
  uint32_t uprobe_flags;     // uprobe_multi.flags
  uint32_t pid;              // fire only in this process; 0: any
};
static_assert(offsetof(UprobeMultiAttr, path) == 16 && offsetof(UprobeMultiAttr, pid) == 56);
constexpr uint32_t kTraceUprobeMulti = 48;   // BPF_TRACE_UPROBE_MULTI in enum bpf_attach_type
constexpr uint32_t kUprobeMultiReturn = 1;  // BPF_F_UPROBE_MULTI_RETURN
constexpr int kBpfLinkCreate = 28;          // BPF_LINK_CREATE in enum bpf_cmd

std::string why(const std::string& what, int err) { return what + ": " + std::strerror(err < 0 ? -err : err); }

// Single uprobes take two descriptors per function: take all the process may.
void raise_fd_limit() {
  struct rlimit r;
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

}  // namespace

bool kernel_has_uprobe_multi() {
  struct btf* vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux) return false;
  bool found = false;
  const int id = btf__find_by_name_kind(vmlinux, "bpf_attach_type", BTF_KIND_ENUM);
  if (id > 0) {
    const struct btf_type* t = btf__type_by_id(vmlinux, id);
    const struct btf_enum* e = btf_enum(t);
    for (int i = 0; i < btf_vlen(t) && !found; ++i)
      found = std::strcmp(btf__name_by_offset(vmlinux, e[i].name_off), "BPF_TRACE_UPROBE_MULTI") == 0;
  }
  btf__free(vmlinux);
  return found;
}

UprobeLinks::~UprobeLinks() { detach(); }

void UprobeLinks::prepare(bpf_program* prog) const {
  if (multi_) bpf_program__set_expected_attach_type(prog, static_cast<enum bpf_attach_type>(kTraceUprobeMulti));
}

// One multi-uprobe link: its descriptor, or -errno.
int UprobeLinks::link_multi(int prog_fd, bool retprobe, const std::string& path, const Probes& probes, uint32_t pid) {
  std::vector<uint64_t> offsets, cookies;
  for (const auto& [offset, cookie] : probes) {
    offsets.push_back(offset);
    cookies.push_back(cookie);
  }
  UprobeMultiAttr attr{};
  attr.prog_fd = static_cast<uint32_t>(prog_fd);
  attr.attach_type = kTraceUprobeMulti;
  attr.path = reinterpret_cast<uint64_t>(path.c_str());
  attr.offsets = reinterpret_cast<uint64_t>(offsets.data());
  attr.cookies = reinterpret_cast<uint64_t>(cookies.data());
  attr.cnt = static_cast<uint32_t>(offsets.size());
  attr.uprobe_flags = retprobe ? kUprobeMultiReturn : 0;
  attr.pid = pid;
  const long fd = syscall(__NR_bpf, kBpfLinkCreate, &attr, sizeof(attr));
  return fd < 0 ? -errno : static_cast<int>(fd);
}

void UprobeLinks::refuse(uint64_t cookie) {
  const auto index = static_cast<uint32_t>(cookie);
  if (std::find(refused_.begin(), refused_.end(), index) == refused_.end()) refused_.push_back(index);
}

// A link refused because the kernel cannot probe some of its functions is
// split in halves, down to those functions, which are left out.
Result<void> UprobeLinks::attach_multi(int prog_fd, bool retprobe, const std::string& path, const Probes& probes,
                                       uint32_t pid) {
  const int fd = link_multi(prog_fd, retprobe, path, probes, pid);
  if (fd >= 0) {
    (retprobe ? exit_fds_ : enter_fds_).push_back(fd);
    return {};
  }
  // ENOTSUPP (524, kernel-internal): an instruction uprobes cannot handle.
  if (fd != -524 && fd != -EINVAL) return Error{why("cannot attach uprobes to " + path, -fd)};
  if (probes.size() == 1) {
    refuse(probes[0].second);
    return {};
  }
  const auto half = probes.begin() + static_cast<std::ptrdiff_t>(probes.size() / 2);
  if (auto first = attach_multi(prog_fd, retprobe, path, Probes(probes.begin(), half), pid); !first) return first;
  return attach_multi(prog_fd, retprobe, path, Probes(half, probes.end()), pid);
}

Result<void> UprobeLinks::attach_each(bpf_program* prog, bool retprobe, const std::string& path,
                                      const Probes& probes) {
  for (const auto& [offset, cookie] : probes) {
    bpf_uprobe_opts opts{};
    opts.sz = sizeof(opts);
    opts.bpf_cookie = cookie;
    opts.retprobe = retprobe;
    // Any process: a uprobe given a pid fires in that one thread only.
    bpf_link* link = bpf_program__attach_uprobe_opts(prog, -1, path.c_str(), offset, &opts);
    if (link) {
      (retprobe ? exit_links_ : enter_links_).push_back(link);
      continue;
    }
    const int err = errno;
    if (err == 524 || err == EINVAL) {
      refuse(cookie);
      continue;
    }
    std::string error = why("cannot attach a uprobe to " + path, err);
    if (err == EMFILE || err == ENFILE)
      error += " (this kernel has no multi-uprobe links, Linux 6.6 and later, so each traced function takes two "
               "file descriptors: name fewer functions with --lib LIB:FUNC,...)";
    return Error{error};
  }
  return {};
}

Result<void> UprobeLinks::attach(bpf_program* enter, bpf_program* exit, const format::LibraryTable& table,
                                 const std::vector<std::string>& open_paths, const std::vector<uint32_t>& pids) {
  std::map<uint32_t, Probes> by_library;
  for (size_t i = 0; i < table.functions.size(); ++i)
    by_library[table.functions[i].library].emplace_back(table.functions[i].offset, i);
  if (!multi_) raise_fd_limit();
  for (bool retprobe : {true, false}) {
    bpf_program* prog = retprobe ? exit : enter;
    for (const auto& [library, probes] : by_library) {
      const std::string& path = open_paths.at(library);
      if (!multi_) {
        if (auto attached = attach_each(prog, retprobe, path, probes); !attached) return attached;
        continue;
      }
      for (uint32_t pid : pids.empty() ? std::vector<uint32_t>{0} : pids)
        if (auto attached = attach_multi(bpf_program__fd(prog), retprobe, path, probes, pid); !attached)
          return attached;
    }
  }
  std::sort(refused_.begin(), refused_.end());
  return {};
}

void UprobeLinks::detach() {
  for (auto* fds : {&enter_fds_, &exit_fds_}) {
    for (int fd : *fds) close(fd);
    fds->clear();
  }
  for (auto* links : {&enter_links_, &exit_links_}) {
    for (bpf_link* link : *links) bpf_link__destroy(link);
    links->clear();
  }
}

}  // namespace etrace::capture
