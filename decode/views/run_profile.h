// What one run of a program did, process by process, for etrace-decode
// --diff: the paths each process named, the errors it met and the
// latency of each syscall it made. Fed the decoded events as a renderer
// is; nothing is written.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "decode/render/output.h"

namespace etrace::decode {

struct Latency {
  uint64_t calls = 0;  // calls with a latency
  uint64_t total_ns = 0;
  int64_t average_ns() const { return calls ? static_cast<int64_t>(total_ns / calls) : 0; }
};

// A way a call failed: "openat ENOENT /etc/x". Kept apart, not as one
// string, so that --diff --json can give each its own field.
struct CallError {
  std::string syscall;
  std::string error;  // "ENOENT", or its number when it has no name
  std::optional<std::string> path;  // the call's first path, when it named one
  auto operator<=>(const CallError&) const = default;
};

struct ProcessProfile {
  uint32_t pid = 0;
  std::string program;  // the command name it last had (after its last exec)
  std::set<std::string> paths;  // path arguments, as the calls gave them
  std::map<CallError, uint64_t> errors;  // each way its calls failed -> how many times
  std::map<std::string, Latency> latency;  // by syscall
};

class RunProfile : public Output {
 public:
  void call(const DecodedCall& call) override;
  void process(const DecodedProcessEvent& event) override;
  void loss(const DecodedLoss&) override {}
  void signal(const DecodedSignal&) override {}

  // Every process seen, in the order each first appeared.
  std::vector<ProcessProfile> processes() const;

 private:
  ProcessProfile& of(uint32_t pid, const std::optional<std::string>& comm);

  std::unordered_map<uint32_t, size_t> index_;  // by pid: its place in processes_
  std::vector<ProcessProfile> processes_;
};

}  // namespace etrace::decode
