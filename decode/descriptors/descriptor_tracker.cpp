#include "decode/descriptors/descriptor_tracker.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <linux/types.h>

#include <cstring>
#include <string_view>

#include "decode/arguments/call_payloads.h"
#include "decode/descriptors/descriptor_text.h"
#include "format/records.h"

namespace etrace::decode {

enum class DescriptorTracker::Effect : uint8_t {
  kNone,
  kNewFd,  // returns a descriptor of a kind not followed: whatever had its number is gone
  kOpen, kOpenat, kOpenat2, kCreat,
  kSocket, kSocketpair, kAccept, kAccept4, kBind, kConnect, kGetsockname, kGetpeername,
  kDup, kDup2, kDup3, kFcntl, kClose, kCloseRange,
  kPipe, kPipe2, kAnonymous, kMemfd, kSignalfd,
  kChdir, kFchdir, kUnshare,
};

namespace {

using Effect = DescriptorTracker::Effect;

constexpr uint32_t kCloseRangeUnshare = 1u << 1;  // CLOSE_RANGE_* (linux/close_range.h)
constexpr uint32_t kCloseRangeCloexec = 1u << 2;
constexpr int64_t kFcntlDupfd = F_DUPFD;
constexpr int64_t kFcntlDupfdCloexec = F_DUPFD_CLOEXEC;

// Descriptors on anonymous inodes, named as /proc shows them: where the
// call takes its flags and which bit asks for close-on-exec (-1: none;
// always: the kernel sets it whatever the flags).
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

const std::unordered_map<std::string_view, Effect>& effects_by_name() {
  static const std::unordered_map<std::string_view, Effect> table = {
      {"open", Effect::kOpen},         {"openat", Effect::kOpenat},           {"openat2", Effect::kOpenat2},
      {"creat", Effect::kCreat},       {"socket", Effect::kSocket},           {"socketpair", Effect::kSocketpair},
      {"accept", Effect::kAccept},     {"accept4", Effect::kAccept4},         {"bind", Effect::kBind},
      {"connect", Effect::kConnect},   {"getsockname", Effect::kGetsockname}, {"getpeername", Effect::kGetpeername},
      {"dup", Effect::kDup},           {"dup2", Effect::kDup2},               {"dup3", Effect::kDup3},
      {"fcntl", Effect::kFcntl},       {"close", Effect::kClose},             {"close_range", Effect::kCloseRange},
      {"pipe", Effect::kPipe},         {"pipe2", Effect::kPipe2},             {"memfd_create", Effect::kMemfd},
      {"signalfd", Effect::kSignalfd}, {"signalfd4", Effect::kSignalfd},      {"chdir", Effect::kChdir},
      {"fchdir", Effect::kFchdir},     {"unshare", Effect::kUnshare},
  };
  return table;
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

std::shared_ptr<OpenFile> socket_file(std::string protocol) {
  auto f = file_named(OpenFile::Kind::kSocket, "");
  f->protocol = std::move(protocol);
  return f;
}

}  // namespace

DescriptorTracker::Effect DescriptorTracker::effect_of(const SyscallSignature& sig) {
  if (sig.name == "clone" || sig.name == "clone3") return Effect::kNone;  // seen at entry
  const auto& by_name = effects_by_name();
  if (auto it = by_name.find(sig.name); it != by_name.end()) return it->second;
  if (anonymous(sig.name)) return Effect::kAnonymous;
  if (sig.semantics && sig.semantics->ret == catalog::ReturnKind::kFd) return Effect::kNewFd;
  return Effect::kNone;
}

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
  // strace -y names the working directory too: AT_FDCWD</tmp>.
  if (fd == AT_FDCWD) {
    if (const std::string& cwd = tables_.cwd(tgid); !cwd.empty()) out.emplace_back(fd, cwd);
    return;
  }
  const FdTable* table = tables_.find(tgid);
  const OpenFile* file = table ? table->find(fd) : nullptr;
  if (file) out.emplace_back(fd, descriptor_text(*file, addresses_));
}

void DescriptorTracker::remember_entry(const SyscallSignature& sig, const Call& c) {
  CallDescriptors d;
  const auto& regs = *c.args;
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
  if (sig.name == "clone") clone_flags_[c.tid] = regs[0];
  if (sig.name == "clone3") clone_flags_[c.tid] = first_of<uint64_t>(input_bytes(sig, c, 0)).value_or(0);
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

void DescriptorTracker::apply(const SyscallSignature& sig, Effect effect, const Call& c) {
  const auto& regs = *c.args;
  const int64_t ret = *c.ret;
  FdTable& table = tables_.table(c.tgid);
  const int32_t new_fd = static_cast<int32_t>(ret);
  auto open_path = [&](int32_t dirfd, size_t path_arg, uint64_t flags) {
    auto path = input_bytes(sig, c, path_arg);
    if (!path) return table.close(new_fd);
    table.install(new_fd, file_named(OpenFile::Kind::kPath, resolve(c.tgid, dirfd, *path)), flags & O_CLOEXEC);
  };
  auto set_address = [&](int32_t fd, std::optional<std::string_view> bytes, std::string OpenFile::*end) {
    OpenFile* f = table.find(fd);
    if (!f || f->kind != OpenFile::Kind::kSocket || !bytes) return;
    if (std::string text = endpoint_text(*bytes); !text.empty()) f->*end = std::move(text);
  };
  auto add_pair = [&](size_t arg, OpenFile::Kind kind, std::string protocol, bool cloexec) {
    auto fds = fd_pair(output_bytes(sig, c, arg));
    if (!fds) return;
    auto first = file_named(kind, "");
    first->protocol = protocol;
    // A socketpair's two ends are two sockets; a pipe's are one pipe.
    auto second = kind == OpenFile::Kind::kPipe ? first : socket_file(protocol);
    table.install(fds->first, first, cloexec);
    table.install(fds->second, second, cloexec);
  };
  switch (effect) {
    case Effect::kNone: return;
    case Effect::kNewFd: table.close(new_fd); return;
    case Effect::kOpen: return open_path(AT_FDCWD, 0, regs[1]);
    case Effect::kCreat: return open_path(AT_FDCWD, 0, 0);
    case Effect::kOpenat: return open_path(fd_in(regs[0]), 1, regs[2]);
    case Effect::kOpenat2: return open_path(fd_in(regs[0]), 1, first_of<uint64_t>(input_bytes(sig, c, 2)).value_or(0));
    case Effect::kSocket:
      table.install(new_fd, socket_file(socket_protocol(fd_in(regs[0]), fd_in(regs[1]), fd_in(regs[2]))),
                    regs[1] & SOCK_CLOEXEC);
      return;
    case Effect::kSocketpair:
      return add_pair(3, OpenFile::Kind::kSocket, socket_protocol(fd_in(regs[0]), fd_in(regs[1]), fd_in(regs[2])),
                      regs[1] & SOCK_CLOEXEC);
    case Effect::kAccept:
    case Effect::kAccept4: {
      const OpenFile* listening = table.find(fd_in(regs[0]));
      auto accepted = socket_file(listening ? listening->protocol : "");
      if (listening) accepted->local = listening->local;
      table.install(new_fd, accepted, effect == Effect::kAccept4 && (regs[3] & SOCK_CLOEXEC));
      set_address(new_fd, output_bytes(sig, c, 1), &OpenFile::peer);
      return;
    }
    case Effect::kBind: return set_address(fd_in(regs[0]), input_bytes(sig, c, 1), &OpenFile::local);
    case Effect::kConnect: return set_address(fd_in(regs[0]), input_bytes(sig, c, 1), &OpenFile::peer);
    case Effect::kGetsockname: return set_address(fd_in(regs[0]), output_bytes(sig, c, 1), &OpenFile::local);
    case Effect::kGetpeername: return set_address(fd_in(regs[0]), output_bytes(sig, c, 1), &OpenFile::peer);
    case Effect::kDup: table.duplicate(fd_in(regs[0]), new_fd, false); return;
    case Effect::kDup2: table.duplicate(fd_in(regs[0]), fd_in(regs[1]), false); return;
    case Effect::kDup3: table.duplicate(fd_in(regs[0]), fd_in(regs[1]), regs[2] & O_CLOEXEC); return;
    case Effect::kFcntl: {
      const int64_t cmd = fd_in(regs[1]);
      if (cmd == kFcntlDupfd || cmd == kFcntlDupfdCloexec)
        table.duplicate(fd_in(regs[0]), new_fd, cmd == kFcntlDupfdCloexec);
      else if (cmd == F_SETFD)
        table.set_cloexec(fd_in(regs[0]), regs[2] & FD_CLOEXEC);
      return;
    }
    case Effect::kClose: table.close(fd_in(regs[0])); return;
    case Effect::kCloseRange: {
      const auto first = static_cast<uint32_t>(regs[0]), last = static_cast<uint32_t>(regs[1]);
      if (regs[2] & kCloseRangeUnshare) tables_.unshare_files(c.tgid);
      FdTable& own = tables_.table(c.tgid);
      if (regs[2] & kCloseRangeCloexec)
        own.set_cloexec_range(first, last);
      else
        own.close_range(first, last);
      return;
    }
    case Effect::kPipe: return add_pair(0, OpenFile::Kind::kPipe, "", false);
    case Effect::kPipe2: return add_pair(0, OpenFile::Kind::kPipe, "", regs[1] & O_CLOEXEC);
    case Effect::kAnonymous: {
      const Anonymous& a = *anonymous(sig.name);
      const bool cloexec = a.always_cloexec || (a.flags_arg >= 0 && (regs[a.flags_arg] & a.cloexec_bit));
      table.install(new_fd, file_named(OpenFile::Kind::kOther, std::string(a.name)), cloexec);
      return;
    }
    case Effect::kMemfd: {
      auto name = input_bytes(sig, c, 0);
      if (!name) return table.close(new_fd);
      table.install(new_fd, file_named(OpenFile::Kind::kPath, "/memfd:" + std::string(*name) + " (deleted)"),
                    regs[1] & 1 /* MFD_CLOEXEC */);
      return;
    }
    case Effect::kSignalfd:
      // Given an existing signalfd, the call changes its mask and returns it.
      if (fd_in(regs[0]) == -1)
        table.install(new_fd, file_named(OpenFile::Kind::kOther, "anon_inode:[signalfd]"),
                      sig.name == "signalfd4" && (regs[3] & O_CLOEXEC));
      return;
    case Effect::kChdir:
      if (auto path = input_bytes(sig, c, 0)) tables_.set_cwd(c.tgid, resolve(c.tgid, AT_FDCWD, *path));
      return;
    case Effect::kFchdir:
      if (const OpenFile* dir = table.find(fd_in(regs[0])); dir && dir->kind == OpenFile::Kind::kPath)
        tables_.set_cwd(c.tgid, dir->name);
      return;
    case Effect::kUnshare:
      if (regs[0] & CLONE_FILES) tables_.unshare_files(c.tgid);
      return;
  }
}

void DescriptorTracker::note_made(const SyscallSignature& sig, const Call& c) {
  const auto& regs = *c.args;
  const bool returns_fd = (sig.semantics && sig.semantics->ret == catalog::ReturnKind::kFd) ||
                          (sig.name == "fcntl" && (fd_in(regs[1]) == kFcntlDupfd || fd_in(regs[1]) == kFcntlDupfdCloexec));
  if (returns_fd) {
    std::vector<std::pair<int32_t, std::string>> made;
    note(made, c.tgid, static_cast<int32_t>(*c.ret));
    if (!made.empty()) current_.returned = std::move(made.front().second);
  }
  const size_t pair_arg = sig.name == "socketpair" ? 3 : 0;
  if (sig.name == "pipe" || sig.name == "pipe2" || sig.name == "socketpair")
    if (auto fds = fd_pair(output_bytes(sig, c, pair_arg))) {
      note(current_.at_exit, c.tgid, fds->first);
      note(current_.at_exit, c.tgid, fds->second);
    }
}

const CallDescriptors& DescriptorTracker::call(const CallEvent& event) {
  const Call& c = event.call;
  current_ = {};
  const SyscallSignature& sig = catalog_.signature(c.nr);
  if (event.phase == CallPhase::kEntered) {
    if (c.args) remember_entry(sig, c);
    current_ = entered_[c.seq];
    return current_;
  }
  if (auto it = entered_.find(c.seq); it != entered_.end()) {
    current_ = std::move(it->second);
    entered_.erase(it);
  }
  clone_flags_.erase(c.tid);
  // An exit without its entry says too little to follow (which path? which descriptor?).
  if (event.phase != CallPhase::kCompleted || !c.args || !c.ret) return current_;
  auto [it, fresh] = effects_.try_emplace(c.nr, Effect::kNone);
  if (fresh) it->second = effect_of(sig);
  const int64_t ret = *c.ret;
  // close releases the descriptor even when it fails, unless it was not open.
  const bool closed = it->second == Effect::kClose && ret != -EBADF;
  if (ret >= 0 || closed) apply(sig, closed ? Effect::kClose : it->second, c);
  if (ret >= 0) note_made(sig, c);
  return current_;
}

}  // namespace etrace::decode
