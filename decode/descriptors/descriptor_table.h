// What each traced process's descriptors refer to, as far as the capture
// saw: the model behind etrace-decode -y. It knows how the kernel shares
// and copies descriptor tables (threads share one, fork copies it, clone
// with CLONE_FILES shares it, exec drops close-on-exec descriptors) but
// nothing of syscalls: decode/descriptor_tracker.h drives it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "decode/arguments/socket_facts.h"

namespace etrace::decode {

// An open file description: shared by the descriptors dup'd from one
// another, so what bind or connect tell about one is true of all.
struct OpenFile {
  enum class Kind : uint8_t {
    kPath,    // `name` is a path: "/etc/hosts", "/memfd:x (deleted)"
    kPipe,    // pipe:[inode]
    kSocket,  // socket:[inode], or its protocol and addresses with -yy
    kOther,   // `name` is shown as is: "anon_inode:[eventfd]", a snapshot's "socket:[5]"
  };
  Kind kind = Kind::kOther;
  std::string name;
  std::optional<uint64_t> inode;  // pipes and sockets, when known
  // Sockets: "TCP", "UDPv6", "UNIX-STREAM" (empty when unknown); their
  // local and peer addresses as "127.0.0.1:80", "[::1]:80", "/run/x.sock".
  std::string protocol;
  std::string local;
  std::string peer;
  // Sockets: the family and protocol they were made with, when seen.
  std::optional<SocketFacts> made_as;
};

// One descriptor table (struct files_struct).
class FdTable {
 public:
  void install(int32_t fd, std::shared_ptr<OpenFile> file, bool cloexec);
  // `to` refers to what `from` does (dup2, F_DUPFD); false when `from` is unknown,
  // and then `to` is forgotten too (whatever it was is closed).
  bool duplicate(int32_t from, int32_t to, bool cloexec);
  void close(int32_t fd);
  void close_range(uint32_t first, uint32_t last);  // inclusive, as close_range(2)
  void set_cloexec(int32_t fd, bool cloexec);
  void set_cloexec_range(uint32_t first, uint32_t last);
  void close_on_exec();

  // nullptr when the capture never saw what `fd` is.
  const OpenFile* find(int32_t fd) const;
  OpenFile* find(int32_t fd);
  bool cloexec(int32_t fd) const;
  size_t size() const { return fds_.size(); }

 private:
  struct Entry {
    std::shared_ptr<OpenFile> file;
    bool cloexec = false;
  };
  std::map<int32_t, Entry> fds_;  // ordered: close_range walks a span
};

// Every process's table and working directory, by process id (tgid):
// threads share both.
class DescriptorTables {
 public:
  // The table of process `tgid`, empty when never seen before.
  FdTable& table(uint32_t tgid);
  const FdTable* find(uint32_t tgid) const;

  // A new process: a copy of the parent's table, or the same table when
  // `share_files` (CLONE_FILES); the working directory is copied.
  void fork(uint32_t parent_tgid, uint32_t child_tgid, bool share_files);
  // A successful exec: the table is no longer shared, and close-on-exec
  // descriptors are closed.
  void exec(uint32_t tgid);
  // unshare(CLONE_FILES): the process gets a table of its own.
  void unshare_files(uint32_t tgid);
  void exit(uint32_t tgid);

  // "" when unknown.
  const std::string& cwd(uint32_t tgid) const;
  void set_cwd(uint32_t tgid, std::string cwd);

 private:
  struct Process {
    std::shared_ptr<FdTable> files = std::make_shared<FdTable>();
    std::string cwd;
  };
  Process& process(uint32_t tgid);
  void own_table(Process& p);

  std::unordered_map<uint32_t, Process> processes_;
};

}  // namespace etrace::decode
