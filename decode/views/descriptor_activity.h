// What happened on each open file description a capture saw, for
// etrace-decode --files and --conns: lsof over time. The descriptor tracker
// says when a file is made and when its last descriptor goes (a dup or a
// fork shares it, so it is one row however many descriptors refer to it);
// every call that takes a descriptor of it is counted on its row, with the
// bytes read and written and the errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "decode/arguments/syscall_catalog.h"
#include "decode/descriptors/descriptor_tracker.h"
#include "decode/input/call_pairing.h"

namespace etrace::decode {

struct DescriptorRow {
  OpenFile::Kind kind = OpenFile::Kind::kOther;
  std::string name;  // what -y shows: "/etc/hosts", "pipe:[1234]", "anon_inode:[eventfd]"
  // Sockets: "TCP", "UNIX-STREAM"... and their ends, "" when unknown.
  std::string protocol;
  std::string local;
  std::string peer;
  int32_t fd = -1;  // the descriptor it was opened as
  uint32_t pid = 0;  // the process that opened it (or held it when the capture started)
  std::optional<std::string> comm;
  std::optional<int64_t> opened_ns;  // wall clock; none when open before the capture started
  std::optional<int64_t> closed_ns;  // none when still open when it ended
  uint64_t calls = 0;
  uint64_t errors = 0;
  uint64_t read_bytes = 0;  // received, for a socket
  uint64_t written_bytes = 0;  // sent
};

class DescriptorActivity : public OpenFileObserver {
 public:
  DescriptorActivity(SyscallCatalog& catalog, int64_t realtime_offset_ns)
      : catalog_(catalog), offset_(realtime_offset_ns) {}

  // Each event before the tracker applies it, and whether the filters keep
  // it: a row is shown when a kept call opened or used it.
  void call(const CallEvent& event, const DescriptorTables& tables, bool kept);
  void process(const ProcessEvent& event);
  // Before a start snapshot record: what it installs was open before the capture.
  void snapshot();

  void opened(const OpenFile& file, uint32_t tgid, int32_t fd) override;
  void released(const OpenFile& file) override;

  // The rows shown, in the order their files were opened.
  std::vector<DescriptorRow> rows() const;

 private:
  struct Row {
    DescriptorRow row;
    bool kept = false;
  };
  void count(Row& row, const SyscallSignature& sig, const Call& call, size_t arg);

  SyscallCatalog& catalog_;
  const int64_t offset_;
  // The event being applied: what opens and releases happen at, and by whom.
  std::optional<int64_t> now_;
  bool now_kept_ = false;
  std::unordered_map<uint32_t, std::string> comms_;  // each process's last seen
  std::vector<Row> rows_;
  std::unordered_map<const OpenFile*, size_t> open_;  // rows of the files still open
};

}  // namespace etrace::decode
