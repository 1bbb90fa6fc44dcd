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

class DescriptorTracker {
 public:
  // `names`: -y, what descriptors refer to as text (without it only the
  // sockets' facts are told); `addresses`: -yy, sockets by protocol and
  // addresses.
  DescriptorTracker(SyscallCatalog& catalog, bool names, bool addresses)
      : catalog_(catalog), names_(names), addresses_(addresses) {}

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

  SyscallCatalog& catalog_;
  const bool names_;
  const bool addresses_;
  DescriptorTables tables_;
  std::unordered_map<uint64_t, CallDescriptors> entered_;  // by call seq, until the call ends
  std::unordered_map<uint32_t, uint64_t> clone_flags_;     // by tid, while its clone is under way
  CallDescriptors current_;
};

}  // namespace etrace::decode
