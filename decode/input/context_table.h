// The process context of each thread as the capture's context records
// tell it, for attaching to every event. Records carry the executable's
// path only at exec and in the start-up snapshot; the table keeps it per
// process and fills it into the contexts recorded in between, and gives a
// forked process its parent's.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "decode/values/process_context.h"
#include "format/context_facts.h"

namespace etrace::decode {

class ContextTable {
 public:
  // A context record's facts, completed with what the table knows.
  ContextRef on_context(format::ContextFacts facts);
  // A new process (not a thread) starts with its parent's executable.
  void on_fork(uint32_t parent_tgid, uint32_t child_tgid);
  // The process's last thread ended: its pid may be reused.
  void on_process_end(uint32_t tgid) { exes_.erase(tgid); }

 private:
  std::unordered_map<uint32_t, std::string> exes_;  // by tgid
};

}  // namespace etrace::decode
