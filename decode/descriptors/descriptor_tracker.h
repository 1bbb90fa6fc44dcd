// Follows what every traced process's descriptors refer to through a
// capture, for etrace-decode -y and for the sockets' messages: the start snapshot's records, then the
// calls that open, duplicate, close, bind and connect descriptors, and the
// forks and execs that copy, share and prune their tables. It sees every
// event, filtered or not, in capture order, and tells for each call what
// its descriptors referred to.
//
// Only what the capture saw is known: a descriptor opened before tracing
// started and not in the snapshot, or by a call whose arguments were not
// captured, has no path, and a relative path is resolved only against a
// working directory or directory descriptor the capture knows.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "decode/arguments/syscall_catalog.h"
#include "decode/descriptors/descriptor_table.h"
#include "decode/input/call_pairing.h"

namespace etrace::decode {

// What the descriptors a call names referred to, as text ("/etc/hosts"):
// those it was passed, as they were when it started, and those it made
// (pipe's pair, its return value), as they were when it returned.
struct CallDescriptors {
  std::vector<std::pair<int32_t, std::string>> at_entry;
  std::vector<std::pair<int32_t, std::string>> at_exit;
  std::optional<std::string> returned;
  // The socket of the call's first argument, as it was made, for calls
  // that carry its messages.
  std::optional<SocketFacts> socket;
};

// Told of the lives of the open file descriptions the tracker makes, for
// the views that follow them (--files, --conns).
class OpenFileObserver {
 public:
  virtual ~OpenFileObserver() = default;
  // `file` was made and installed as descriptor `fd` of process `tgid`, by
  // the call or start snapshot record the tracker was given last.
  virtual void opened(const OpenFile& file, uint32_t tgid, int32_t fd) = 0;
  // The last descriptor that referred to `file` is gone: closed, replaced,
  // closed at exec, or its process ended.
  virtual void released(const OpenFile& file) = 0;
};

class DescriptorTracker {
 public:
  // `names`: -y, what descriptors refer to as text (without it only the
  // sockets' facts are told); `addresses`: -yy, sockets by protocol and
  // addresses.
  DescriptorTracker(SyscallCatalog& catalog, bool names, bool addresses)
      : catalog_(catalog), names_(names), addresses_(addresses) {}
  // Files still open now are not reported released: they were open when the capture ended.
  ~DescriptorTracker() { *observer_ = nullptr; }
  DescriptorTracker(const DescriptorTracker&) = delete;
  DescriptorTracker& operator=(const DescriptorTracker&) = delete;

  // `observer` hears of every file made and released from now on.
  void watch(OpenFileObserver* observer) { *observer_ = observer; }

  void snapshot(const FdRecord& record);
  void process(const ProcessEvent& event);
  // Call for every phase of a call, in order; the result is valid until the next call.
  const CallDescriptors& call(const CallEvent& event);

  const DescriptorTables& tables() const { return tables_; }

 private:
  static catalog::FdEffect effect_of(const SyscallSignature& sig) {
    return sig.semantics ? sig.semantics->fds : catalog::FdEffect::kNone;
  }
  void remember_entry(const SyscallSignature& sig, const Call& c);
  // What the call's first argument was made as, for calls whose data are
  // the socket's messages (syscall_decoders.h's socket_data_arg).
  std::optional<SocketFacts> socket_of(const SyscallSignature& sig, const Call& c) const;
  // A completed call's effect on its process's table (the semantics table's
  // fds column); each family in its own function.
  void apply(const SyscallSignature& sig, catalog::FdEffect effect, const Call& c);
  void apply_path(const SyscallSignature& sig, catalog::FdEffect effect, const Call& c);
  void apply_socket(const SyscallSignature& sig, catalog::FdEffect effect, const Call& c);
  void apply_table(catalog::FdEffect effect, const Call& c);
  void apply_anonymous(const SyscallSignature& sig, catalog::FdEffect effect, const Call& c);
  void apply_process(const SyscallSignature& sig, catalog::FdEffect effect, const Call& c);
  void note_made(const SyscallSignature& sig, const Call& c);
  void note(std::vector<std::pair<int32_t, std::string>>& out, uint32_t tgid, int32_t fd) const;
  std::string resolve(uint32_t tgid, int32_t dirfd, std::string_view path) const;
  // A new open file description; the observer hears when the last reference to it goes.
  std::shared_ptr<OpenFile> make(OpenFile::Kind kind, std::string name) const;
  std::shared_ptr<OpenFile> from_link(const std::string& target) const;
  std::shared_ptr<OpenFile> make_socket(std::string protocol, std::optional<SocketFacts> made_as) const;
  // Installs a file just made, and tells the observer.
  void install_new(uint32_t tgid, int32_t fd, std::shared_ptr<OpenFile> file, bool cloexec);
  // The two descriptors pipe or socketpair wrote into `fds`.
  void install_pair(uint32_t tgid, std::optional<std::string_view> fds, OpenFile::Kind kind,
                    const std::string& protocol, bool cloexec, std::optional<SocketFacts> made_as = {});

  SyscallCatalog& catalog_;
  const bool names_;
  const bool addresses_;
  DescriptorTables tables_;
  std::unordered_map<uint64_t, CallDescriptors> entered_;  // by call seq, until the call ends
  std::unordered_map<uint32_t, uint64_t> clone_flags_;     // by tid, while its clone is under way
  CallDescriptors current_;
  // Shared with every file's deleter, which may outlive the tracker.
  std::shared_ptr<OpenFileObserver*> observer_ = std::make_shared<OpenFileObserver*>(nullptr);
};

}  // namespace etrace::decode
