#include "decode/descriptors/descriptor_values.h"

#include <string>

namespace etrace::decode {
namespace {

using Known = std::vector<std::pair<int32_t, std::string>>;

// A descriptor (or AT_FDCWD) gains its path when it is known.
void mark(Value& v, const Known& known) {
  auto* d = std::get_if<Descriptor>(&v);
  if (!d) return;
  for (const auto& [fd, path] : known)
    if (fd == d->fd) {
      d->path = path;
      return;
    }
}

void mark_items(Value& v, const Known& known) {
  if (auto* list = std::get_if<List>(&v))
    for (auto& item : list->items) mark(item, known);
}

// poll's [{fd=3, events=POLLIN}, ...]
void mark_pollfds(Value& v, const Known& known) {
  auto* list = std::get_if<List>(&v);
  if (!list) return;
  for (auto& item : list->items)
    if (auto* pollfd = std::get_if<Aggregate>(&item))
      for (auto& field : pollfd->fields)
        if (field.name == "fd") mark(field.value, known);
}

}  // namespace

void annotate_descriptors(DecodedCall& call, const SyscallSignature& sig, const CallDescriptors& fds) {
  if (call.ret && !call.ret->error && fds.returned) call.ret->fd_path = fds.returned;
  if (!call.args || !sig.semantics || call.named_args) return;
  const catalog::FdEffect effect = sig.semantics->fds;
  const bool makes_pair = effect == catalog::FdEffect::kPipe || effect == catalog::FdEffect::kPipe2 ||
                          effect == catalog::FdEffect::kSocketpair;
  const auto& semantics = sig.semantics->args;
  for (size_t i = 0; i < call.args->size() && i < semantics.size(); ++i) {
    Value& v = (*call.args)[i].value;
    switch (semantics[i].kind) {
      case catalog::ArgKind::kFd:
      case catalog::ArgKind::kDirFd: mark(v, fds.at_entry); break;
      case catalog::ArgKind::kArray:
        if (semantics[i].param == "pollfd") mark_pollfds(v, fds.at_entry);
        else if (makes_pair) mark_items(v, fds.at_exit);
        break;
      default: break;
    }
  }
}

}  // namespace etrace::decode
