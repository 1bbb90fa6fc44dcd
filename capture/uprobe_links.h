// The probes of library calls: an entry and a return uprobe on every traced
// function, the function's index as the attach cookie. Where the kernel has
// multi-uprobe links (Linux 6.6+), a library's functions take two links
// (two file descriptors) whatever their number; elsewhere each function
// takes two links of its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "format/metadata.h"

struct bpf_link;
struct bpf_program;

namespace etrace::capture {

// Whether this kernel has multi-uprobe links: its BTF knows the attach type.
bool kernel_has_uprobe_multi();

class UprobeLinks {
 public:
  explicit UprobeLinks(bool multi) : multi_(multi) {}
  ~UprobeLinks();
  UprobeLinks(const UprobeLinks&) = delete;
  UprobeLinks& operator=(const UprobeLinks&) = delete;

  bool multi() const { return multi_; }
  // Before the object is loaded: a program for multi-uprobe links must be
  // loaded with that attach type (libbpf 1.1.2 has no SEC("uprobe.multi")).
  void prepare(bpf_program* prog) const;

  // Probes every function of `table`, whose libraries this process opens at
  // `open_paths`. Multi-uprobe links fire only in processes `pids` (none:
  // any process); single uprobes fire in any process, the BPF side filters.
  // Return probes are attached first, so that every call seen entering is
  // seen returning.
  Result<void> attach(bpf_program* enter, bpf_program* exit, const format::LibraryTable& table,
                      const std::vector<std::string>& open_paths, const std::vector<uint32_t>& pids);
  // Entry probes first, for the same reason.
  void detach();

  // Functions (indexes in the table) the kernel refused to probe: their
  // first instruction is one uprobes cannot step over. The others are probed.
  const std::vector<uint32_t>& refused() const { return refused_; }

 private:
  using Probes = std::vector<std::pair<uint64_t, uint64_t>>;  // offset, cookie (the function's index)
  int link_multi(int prog_fd, bool retprobe, const std::string& path, const Probes& probes, uint32_t pid);
  Result<void> attach_multi(int prog_fd, bool retprobe, const std::string& path, const Probes& probes, uint32_t pid);
  Result<void> attach_each(bpf_program* prog, bool retprobe, const std::string& path, const Probes& probes);
  void refuse(uint64_t cookie);

  const bool multi_;
  std::vector<int> enter_fds_, exit_fds_;                  // multi-uprobe links
  std::vector<bpf_link*> enter_links_, exit_links_;        // single uprobes
  std::vector<uint32_t> refused_;
};

}  // namespace etrace::capture
