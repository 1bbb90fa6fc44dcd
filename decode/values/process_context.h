// The process context of a thread, as events carry it to renderers: the
// facts of its last context record and the container they name.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "format/context_facts.h"

namespace etrace::decode {

struct ProcessContext {
  format::ContextFacts facts;
  std::optional<std::string> container;  // the container id its cgroup path carries
};

// Shared by every event of the thread until its context changes.
using ContextRef = std::shared_ptr<const ProcessContext>;

// The credentials by name, in the order renderers show them.
struct CredentialField {
  const char* name;
  uint32_t format::ContextFacts::*id;
};
inline constexpr CredentialField kCredentialFields[] = {
    {"uid", &format::ContextFacts::uid},     {"gid", &format::ContextFacts::gid},
    {"euid", &format::ContextFacts::euid},   {"egid", &format::ContextFacts::egid},
    {"suid", &format::ContextFacts::suid},   {"sgid", &format::ContextFacts::sgid},
    {"fsuid", &format::ContextFacts::fsuid}, {"fsgid", &format::ContextFacts::fsgid},
};

}  // namespace etrace::decode
