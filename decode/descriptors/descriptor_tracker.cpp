#include "decode/descriptors/descriptor_tracker.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <linux/types.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "decode/arguments/call_payloads.h"
#include "decode/arguments/syscall_decoders.h"
#include "decode/descriptors/descriptor_text.h"
#include "format/records.h"

namespace etrace::decode {

namespace {

using catalog::FdEffect;

constexpr uint32_t kCloseRangeUnshare = 1u << 1;  // CLOSE_RANGE_* (linux/close_range.h)
constexpr uint32_t kCloseRangeCloexec = 1u << 2;
constexpr int64_t kFcntlDupfd = F_DUPFD;
constexpr int64_t kFcntlDupfdCloexec = F_DUPFD_CLOEXEC;

// Descriptors on anonymous inodes (fds=anon in the semantics table), named
// as /proc shows them: where the call takes its flags and which bit asks
// for close-on-exec (-1: none; always: the kernel sets it whatever the
// flags).
struct Anonymous {
  std::string_view syscall;
  std::string_view name;
  int flags_arg;
  uint64_t cloexec_bit;
  bool always_cloexec = false;
};
constexpr Anonymous kAnonymous[] = {
    {"eventfd", "anon_inode:[eventfd]", -1, 0},
    {"eventfd2", "anon_inode:[eventfd]", 1, O_CLOEXEC},
    {"epoll_create", "anon_inode:[eventpoll]", -1, 0},
    {"epoll_create1", "anon_inode:[eventpoll]", 0, O_CLOEXEC},
    {"timerfd_create", "anon_inode:[timerfd]", 1, O_CLOEXEC},
    {"inotify_init", "anon_inode:inotify", -1, 0},
    {"inotify_init1", "anon_inode:inotify", 0, O_CLOEXEC},
    {"pidfd_open", "anon_inode:[pidfd]", -1, 0, true},
    {"fanotify_init", "anon_inode:[fanotify]", 0, 1 /* FAN_CLOEXEC */},
    {"userfaultfd", "anon_inode:[userfaultfd]", 0, O_CLOEXEC},
    {"perf_event_open", "anon_inode:[perf_event]", 4, 8 /* PERF_FLAG_FD_CLOEXEC */},
    {"io_uring_setup", "anon_inode:[io_uring]", -1, 0, true},
};

const Anonymous* anonymous(std::string_view syscall) {
  for (const auto& a : kAnonymous)
    if (a.syscall == syscall) return &a;
  return nullptr;
}

int32_t fd_in(uint64_t reg) { return static_cast<int32_t>(reg); }

// The bytes of input argument `arg`: copied at entry, or read again at exit
// when the entry could not. Empty when the capture has none, or only part.
std::optional<std::string_view> input_bytes(const SyscallSignature& sig, const Call& c, size_t arg) {
  for (const auto* payloads : {&c.enter_payloads, &c.exit_payloads}) {
    const ArgCopies copies = copies_of(sig, *payloads, arg);
    if (copies.readable() && !(copies.items.front()->flags & ETRACE_PAYLOAD_CUT))
      return std::string_view(copies.items.front()->bytes);
  }
  return std::nullopt;
}

std::optional<std::string_view> output_bytes(const SyscallSignature& sig, const Call& c, size_t arg) {
  const ArgCopies copies = copies_of(sig, c.exit_payloads, arg);
  if (!copies.readable()) return std::nullopt;
  return std::string_view(copies.items.front()->bytes);
}

template <typename T>
std::optional<T> first_of(std::optional<std::string_view> bytes) {
  T v;
  if (!bytes || bytes->size() < sizeof(T)) return std::nullopt;
  std::memcpy(&v, bytes->data(), sizeof(T));
  return v;
}

// The two descriptors pipe and socketpair wrote.
std::optional<std::pair<int32_t, int32_t>> fd_pair(std::optional<std::string_view> bytes) {
  int32_t fds[2];
  if (!bytes || bytes->size() < sizeof(fds)) return std::nullopt;
  std::memcpy(fds, bytes->data(), sizeof(fds));
  return std::pair{fds[0], fds[1]};
}

// "/a/./b//../c" -> "/a/c": lexically, as the kernel would report it
// unless a symbolic link was on the way.
std::string normalised(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (auto part : parts) (out += '/') += part;
  return out.empty() ? "/" : out;
}

std::shared_ptr<OpenFile> file_named(OpenFile::Kind kind, std::string name) {
  auto f = std::make_shared<OpenFile>();
  f->kind = kind;
  f->name = std::move(name);
  return f;
}

// What /proc's readlink said: "pipe:[5]" and "socket:[6]" keep their
// inodes (a dup'd socket then gains addresses like any other).
std::shared_ptr<OpenFile> file_from_link(const std::string& target) {
  for (auto [prefix, kind] : {std::pair{std::string_view("pipe:["), OpenFile::Kind::kPipe},
                              std::pair{std::string_view("socket:["), OpenFile::Kind::kSocket}}) {
    if (target.starts_with(prefix) && target.ends_with("]")) {
      auto f = file_named(kind, "");
      f->inode = std::strtoull(target.c_str() + prefix.size(), nullptr, 10);
      return f;
    }
  }
  return file_named(target.starts_with("/") ? OpenFile::Kind::kPath : OpenFile::Kind::kOther, target);
}

std::shared_ptr<OpenFile> socket_file(std::string protocol, std::optional<SocketFacts> made_as) {
  auto f = file_named(OpenFile::Kind::kSocket, "");
  f->protocol = std::move(protocol);
  f->made_as = made_as;
  return f;
}

// A socket's local or peer address, from the sockaddr a call passed or got.
void set_address(FdTable& table, int32_t fd, std::optional<std::string_view> sockaddr, std::string OpenFile::*end) {
  OpenFile* f = table.find(fd);
  if (!f || f->kind != OpenFile::Kind::kSocket || !sockaddr) return;
  const int protocol = f->made_as && f->made_as->family == AF_NETLINK ? f->made_as->protocol : -1;
  std::string text = protocol >= 0 ? netlink_endpoint_text(protocol, *sockaddr) : endpoint_text(*sockaddr);
  if (!text.empty()) f->*end = std::move(text);
}

// The two descriptors pipe or socketpair wrote into `fds`.
void install_pair(FdTable& table, std::optional<std::string_view> fds, OpenFile::Kind kind, const std::string& protocol,
                  bool cloexec, std::optional<SocketFacts> made_as = {}) {
  auto pair = fd_pair(fds);
  if (!pair) return;
  auto first = file_named(kind, "");
  first->protocol = protocol;
  first->made_as = made_as;
  // A socketpair's two ends are two sockets; a pipe's are one pipe.
  auto second = kind == OpenFile::Kind::kPipe ? first : socket_file(protocol, made_as);
  table.install(pair->first, first, cloexec);
  table.install(pair->second, second, cloexec);
}

}  // namespace

void DescriptorTracker::snapshot(const FdRecord& r) {
  if (r.fd == ETRACE_FD_CWD) {
    tables_.set_cwd(r.h.tgid, r.target);
    return;
  }
  tables_.table(r.h.tgid).install(r.fd, file_from_link(r.target), (r.flags & O_CLOEXEC) != 0);
}

void DescriptorTracker::process(const ProcessEvent& e) {
  switch (e.kind) {
    case ProcessEvent::Kind::kFork: {
      auto it = clone_flags_.find(e.tid);
      const uint64_t flags = it == clone_flags_.end() ? 0 : it->second;
      tables_.fork(e.tgid, e.child_tgid, (flags & CLONE_FILES) != 0);
      return;
    }
    case ProcessEvent::Kind::kExec: tables_.exec(e.tgid); return;
    case ProcessEvent::Kind::kExit: tables_.exit(e.tgid); return;
    case ProcessEvent::Kind::kThreadExit: return;
  }
}

void DescriptorTracker::note(std::vector<std::pair<int32_t, std::string>>& out, uint32_t tgid, int32_t fd) const {
  if (!names_) return;
  // strace -y names the working directory too: AT_FDCWD</tmp>.
  if (fd == AT_FDCWD) {
    if (const std::string& cwd = tables_.cwd(tgid); !cwd.empty()) out.emplace_back(fd, cwd);
    return;
  }
  const FdTable* table = tables_.find(tgid);
  const OpenFile* file = table ? table->find(fd) : nullptr;
  if (file) out.emplace_back(fd, descriptor_text(*file, addresses_));
}

std::optional<SocketFacts> DescriptorTracker::socket_of(const SyscallSignature& sig, const Call& c) const {
  if (!c.args || !sig.decoders || sig.decoders->socket_data_arg < 0) return std::nullopt;
  const FdTable* table = tables_.find(c.tgid);
  const OpenFile* file = table ? table->find(fd_in((*c.args)[0])) : nullptr;
  return file ? file->made_as : std::nullopt;
}

void DescriptorTracker::remember_entry(const SyscallSignature& sig, const Call& c) {
  const auto& regs = *c.args;
  const FdEffect effect = effect_of(sig);
  if (effect == FdEffect::kClone) clone_flags_[c.tid] = regs[0];
  if (effect == FdEffect::kClone3) clone_flags_[c.tid] = first_of<uint64_t>(input_bytes(sig, c, 0)).value_or(0);
  if (!names_) return;
  CallDescriptors d;
  if (sig.semantics) {
    const auto& args = sig.semantics->args;
    for (size_t i = 0; i < args.size() && i < regs.size(); ++i) {
      if (args[i].kind == catalog::ArgKind::kFd || args[i].kind == catalog::ArgKind::kDirFd) note(d.at_entry, c.tgid, fd_in(regs[i]));
      // poll's array names descriptors too ({fd=3, events=POLLIN}).
      if (args[i].kind == catalog::ArgKind::kArray && args[i].param == "pollfd")
        if (auto bytes = input_bytes(sig, c, i))
          for (size_t off = 0; off + 8 <= bytes->size(); off += 8) note(d.at_entry, c.tgid, *first_of<int32_t>(bytes->substr(off)));
    }
  }
  entered_[c.seq] = std::move(d);
}

std::string DescriptorTracker::resolve(uint32_t tgid, int32_t dirfd, std::string_view path) const {
  if (path.starts_with("/")) return normalised(path);
  std::string base;
  if (dirfd == AT_FDCWD) {
    base = tables_.cwd(tgid);
  } else if (const FdTable* table = tables_.find(tgid)) {
    if (const OpenFile* dir = table->find(dirfd); dir && dir->kind == OpenFile::Kind::kPath) base = dir->name;
  }
  if (!base.starts_with("/")) return std::string(path);  // the capture does not know where it is relative to
  return normalised(base + "/" + std::string(path));
}

void DescriptorTracker::apply(const SyscallSignature& sig, FdEffect effect, const Call& c) {
  switch (effect) {
    case FdEffect::kNone:
      // A descriptor of a kind not followed: whatever had its number is gone.
      if (sig.semantics && sig.semantics->ret == catalog::ReturnKind::kFd)
        tables_.table(c.tgid).close(static_cast<int32_t>(*c.ret));
      return;
    case FdEffect::kOpen:
    case FdEffect::kOpenat:
    case FdEffect::kOpenat2:
    case FdEffect::kCreat:
    case FdEffect::kMemfd: return apply_path(sig, effect, c);
    case FdEffect::kSocket:
    case FdEffect::kSocketpair:
    case FdEffect::kAccept:
    case FdEffect::kAccept4:
    case FdEffect::kBind:
    case FdEffect::kConnect:
    case FdEffect::kGetsockname:
    case FdEffect::kGetpeername: return apply_socket(sig, effect, c);
    case FdEffect::kDup:
    case FdEffect::kDup2:
    case FdEffect::kDup3:
    case FdEffect::kFcntl:
    case FdEffect::kClose:
    case FdEffect::kCloseRange: return apply_table(effect, c);
    case FdEffect::kPipe:
    case FdEffect::kPipe2:
    case FdEffect::kAnonymous:
    case FdEffect::kSignalfd:
    case FdEffect::kSignalfd4: return apply_anonymous(sig, effect, c);
    case FdEffect::kChdir:
    case FdEffect::kFchdir:
    case FdEffect::kUnshare:
    case FdEffect::kClone:
    case FdEffect::kClone3: return apply_process(sig, effect, c);
  }
}

// Calls that name a path: open, openat, openat2, creat, memfd_create.
void DescriptorTracker::apply_path(const SyscallSignature& sig, FdEffect effect, const Call& c) {
  const auto& regs = *c.args;
  FdTable& table = tables_.table(c.tgid);
  const int32_t new_fd = static_cast<int32_t>(*c.ret);
  if (effect == FdEffect::kMemfd) {
    auto name = input_bytes(sig, c, 0);
    if (!name) return table.close(new_fd);
    table.install(new_fd, file_named(OpenFile::Kind::kPath, "/memfd:" + std::string(*name) + " (deleted)"),
                  regs[1] & 1 /* MFD_CLOEXEC */);
    return;
  }
  const bool at = effect == FdEffect::kOpenat || effect == FdEffect::kOpenat2;
  uint64_t flags = 0;
  if (effect == FdEffect::kOpen) flags = regs[1];
  if (effect == FdEffect::kOpenat) flags = regs[2];
  if (effect == FdEffect::kOpenat2) flags = first_of<uint64_t>(input_bytes(sig, c, 2)).value_or(0);
  auto path = input_bytes(sig, c, at ? 1 : 0);
  if (!path) return table.close(new_fd);
  const int32_t dirfd = at ? fd_in(regs[0]) : AT_FDCWD;
  table.install(new_fd, file_named(OpenFile::Kind::kPath, resolve(c.tgid, dirfd, *path)), flags & O_CLOEXEC);
}

// Sockets: made, paired, accepted, and the addresses they gain.
void DescriptorTracker::apply_socket(const SyscallSignature& sig, FdEffect effect, const Call& c) {
  const auto& regs = *c.args;
  FdTable& table = tables_.table(c.tgid);
  const int32_t new_fd = static_cast<int32_t>(*c.ret);
  const int32_t fd = fd_in(regs[0]);
  // socket's and socketpair's family and protocol.
  const SocketFacts made_as{fd, fd_in(regs[2])};
  switch (effect) {
    case FdEffect::kSocket:
      table.install(new_fd, socket_file(socket_protocol(fd, fd_in(regs[1]), fd_in(regs[2])), made_as),
                    regs[1] & SOCK_CLOEXEC);
      return;
    case FdEffect::kSocketpair:
      return install_pair(table, output_bytes(sig, c, 3), OpenFile::Kind::kSocket,
                          socket_protocol(fd, fd_in(regs[1]), fd_in(regs[2])), regs[1] & SOCK_CLOEXEC, made_as);
    case FdEffect::kAccept:
    case FdEffect::kAccept4: {
      const OpenFile* listening = table.find(fd);
      auto accepted = socket_file(listening ? listening->protocol : "", listening ? listening->made_as : std::nullopt);
      if (listening) accepted->local = listening->local;
      table.install(new_fd, accepted, effect == FdEffect::kAccept4 && (regs[3] & SOCK_CLOEXEC));
      return set_address(table, new_fd, output_bytes(sig, c, 1), &OpenFile::peer);
    }
    case FdEffect::kBind: return set_address(table, fd, input_bytes(sig, c, 1), &OpenFile::local);
    case FdEffect::kConnect: return set_address(table, fd, input_bytes(sig, c, 1), &OpenFile::peer);
    case FdEffect::kGetsockname: return set_address(table, fd, output_bytes(sig, c, 1), &OpenFile::local);
    case FdEffect::kGetpeername: return set_address(table, fd, output_bytes(sig, c, 1), &OpenFile::peer);
    default: return;
  }
}

// Descriptors duplicated, closed, or marked close-on-exec.
void DescriptorTracker::apply_table(FdEffect effect, const Call& c) {
  const auto& regs = *c.args;
  FdTable& table = tables_.table(c.tgid);
  const int32_t new_fd = static_cast<int32_t>(*c.ret);
  const int32_t fd = fd_in(regs[0]);
  switch (effect) {
    case FdEffect::kDup: table.duplicate(fd, new_fd, false); return;
    case FdEffect::kDup2: table.duplicate(fd, fd_in(regs[1]), false); return;
    case FdEffect::kDup3: table.duplicate(fd, fd_in(regs[1]), regs[2] & O_CLOEXEC); return;
    case FdEffect::kFcntl: {
      const int64_t cmd = fd_in(regs[1]);
      if (cmd == kFcntlDupfd || cmd == kFcntlDupfdCloexec)
        table.duplicate(fd, new_fd, cmd == kFcntlDupfdCloexec);
      else if (cmd == F_SETFD)
        table.set_cloexec(fd, regs[2] & FD_CLOEXEC);
      return;
    }
    case FdEffect::kClose: return table.close(fd);
    case FdEffect::kCloseRange: {
      const auto first = static_cast<uint32_t>(regs[0]), last = static_cast<uint32_t>(regs[1]);
      if (regs[2] & kCloseRangeUnshare) tables_.unshare_files(c.tgid);
      FdTable& own = tables_.table(c.tgid);
      if (regs[2] & kCloseRangeCloexec)
        own.set_cloexec_range(first, last);
      else
        own.close_range(first, last);
      return;
    }
    default: return;
  }
}

// Pipes and descriptors on anonymous inodes.
void DescriptorTracker::apply_anonymous(const SyscallSignature& sig, FdEffect effect, const Call& c) {
  const auto& regs = *c.args;
  FdTable& table = tables_.table(c.tgid);
  const int32_t new_fd = static_cast<int32_t>(*c.ret);
  switch (effect) {
    case FdEffect::kPipe: return install_pair(table, output_bytes(sig, c, 0), OpenFile::Kind::kPipe, "", false);
    case FdEffect::kPipe2:
      return install_pair(table, output_bytes(sig, c, 0), OpenFile::Kind::kPipe, "", regs[1] & O_CLOEXEC);
    case FdEffect::kAnonymous: {
      const Anonymous* a = anonymous(sig.name);
      if (!a) return table.close(new_fd);
      const bool cloexec = a->always_cloexec || (a->flags_arg >= 0 && (regs[a->flags_arg] & a->cloexec_bit));
      return table.install(new_fd, file_named(OpenFile::Kind::kOther, std::string(a->name)), cloexec);
    }
    case FdEffect::kSignalfd:
    case FdEffect::kSignalfd4:
      // Given an existing signalfd, the call changes its mask and returns it.
      if (fd_in(regs[0]) == -1)
        table.install(new_fd, file_named(OpenFile::Kind::kOther, "anon_inode:[signalfd]"),
                      effect == FdEffect::kSignalfd4 && (regs[3] & O_CLOEXEC));
      return;
    default: return;
  }
}

// The working directory, and tables unshared.
void DescriptorTracker::apply_process(const SyscallSignature& sig, FdEffect effect, const Call& c) {
  const auto& regs = *c.args;
  switch (effect) {
    case FdEffect::kChdir:
      if (auto path = input_bytes(sig, c, 0)) tables_.set_cwd(c.tgid, resolve(c.tgid, AT_FDCWD, *path));
      return;
    case FdEffect::kFchdir: {
      const OpenFile* dir = tables_.table(c.tgid).find(fd_in(regs[0]));
      if (dir && dir->kind == OpenFile::Kind::kPath) tables_.set_cwd(c.tgid, dir->name);
      return;
    }
    case FdEffect::kUnshare:
      if (regs[0] & CLONE_FILES) tables_.unshare_files(c.tgid);
      return;
    default: return;  // clone and clone3 are seen at entry
  }
}

void DescriptorTracker::note_made(const SyscallSignature& sig, const Call& c) {
  const auto& regs = *c.args;
  const FdEffect effect = effect_of(sig);
  const bool returns_fd = (sig.semantics && sig.semantics->ret == catalog::ReturnKind::kFd) ||
                          (effect == FdEffect::kFcntl && (fd_in(regs[1]) == kFcntlDupfd || fd_in(regs[1]) == kFcntlDupfdCloexec));
  if (returns_fd) {
    std::vector<std::pair<int32_t, std::string>> made;
    note(made, c.tgid, static_cast<int32_t>(*c.ret));
    if (!made.empty()) current_.returned = std::move(made.front().second);
  }
  const size_t pair_arg = effect == FdEffect::kSocketpair ? 3 : 0;
  if (effect == FdEffect::kPipe || effect == FdEffect::kPipe2 || effect == FdEffect::kSocketpair)
    if (auto fds = fd_pair(output_bytes(sig, c, pair_arg))) {
      note(current_.at_exit, c.tgid, fds->first);
      note(current_.at_exit, c.tgid, fds->second);
    }
}

const CallDescriptors& DescriptorTracker::call(const CallEvent& event) {
  const Call& c = event.call;
  // Emptied in place: this runs twice for every call of the capture.
  current_.at_entry.clear();
  current_.at_exit.clear();
  current_.returned.reset();
  const SyscallSignature& sig = catalog_.signature(c.nr);
  if (event.phase == CallPhase::kEntered) {
    if (c.args) remember_entry(sig, c);
    if (auto it = entered_.find(c.seq); it != entered_.end()) current_ = it->second;
    current_.socket = socket_of(sig, c);
    return current_;
  }
  if (auto it = entered_.empty() ? entered_.end() : entered_.find(c.seq); it != entered_.end()) {
    current_ = std::move(it->second);
    entered_.erase(it);
  }
  // Before the call's own effect: the socket as the call found it.
  current_.socket = socket_of(sig, c);
  if (!clone_flags_.empty()) clone_flags_.erase(c.tid);
  // An exit without its entry says too little to follow (which path? which descriptor?).
  if (event.phase != CallPhase::kCompleted || !c.args || !c.ret) return current_;
  const FdEffect effect = effect_of(sig);
  const int64_t ret = *c.ret;
  // close releases the descriptor even when it fails, unless it was not open.
  const bool closed = effect == FdEffect::kClose && ret != -EBADF;
  // A non-blocking connect under way has its peer already.
  const bool connecting = effect == FdEffect::kConnect && ret == -EINPROGRESS;
  if (ret >= 0 || closed || connecting) apply(sig, effect, c);
  if (ret >= 0) note_made(sig, c);
  return current_;
}

}  // namespace etrace::decode
