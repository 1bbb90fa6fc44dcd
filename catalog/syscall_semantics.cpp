#include "catalog/syscall_semantics.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace etrace::catalog {

extern const char kSyscallSemanticsTable[];  // syscall_semantics_table.cpp

namespace {

struct KindSpec {
  ArgKind kind;
  bool takes_param;   // a set or BTF type name follows
  bool takes_length;  // a length source follows
  Direction default_direction;
  bool length_optional = false;  // ... or may: a struct copied as long as an argument says
};

const std::map<std::string_view, KindSpec>& kinds() {
  static const std::map<std::string_view, KindSpec> k = {
      {"int", {ArgKind::kInt, false, false, Direction::kIn}},
      {"uint", {ArgKind::kUint, false, false, Direction::kIn}},
      {"hex", {ArgKind::kHex, false, false, Direction::kIn}},
      {"ptr", {ArgKind::kPtr, false, false, Direction::kIn}},
      {"fd", {ArgKind::kFd, false, false, Direction::kIn}},
      {"dirfd", {ArgKind::kDirFd, false, false, Direction::kIn}},
      {"mode", {ArgKind::kMode, false, false, Direction::kIn}},
      {"fmode", {ArgKind::kFileMode, false, false, Direction::kIn}},
      {"sig", {ArgKind::kSignal, false, false, Direction::kIn}},
      {"flags", {ArgKind::kFlags, true, false, Direction::kIn}},
      {"enum", {ArgKind::kEnum, true, false, Direction::kIn}},
      {"path", {ArgKind::kPath, false, false, Direction::kIn}},
      {"str", {ArgKind::kString, false, false, Direction::kIn}},
      {"buf", {ArgKind::kBuffer, false, true, Direction::kIn}},
      {"struct", {ArgKind::kStruct, true, true, Direction::kIn, true}},
      {"array", {ArgKind::kArray, true, true, Direction::kIn}},
      {"sockaddr", {ArgKind::kSockaddr, false, true, Direction::kIn}},
      {"socklen", {ArgKind::kSocklen, false, false, Direction::kInOut}},
      {"intptr", {ArgKind::kIntPtr, false, false, Direction::kOut}},
      {"int_at", {ArgKind::kIntPtr, true, false, Direction::kOut}},
      {"long_at", {ArgKind::kLongPtr, true, false, Direction::kOut}},
      {"iovec", {ArgKind::kIovec, false, true, Direction::kIn}},
      {"msghdr", {ArgKind::kMsghdr, false, false, Direction::kIn}},
      {"argv", {ArgKind::kStringArray, false, false, Direction::kIn}},
      {"envp", {ArgKind::kEnvArray, false, false, Direction::kIn}},
      {"sigset", {ArgKind::kSigset, false, true, Direction::kIn}},
      {"fdset", {ArgKind::kFdSet, false, true, Direction::kInOut}},
      {"dirents", {ArgKind::kDirents, false, true, Direction::kOut}},
  };
  return k;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::optional<LengthSource> parse_length(const std::string& t) {
  if (t == "ret") return LengthSource{LengthSource::From::kReturn, 0};
  if (!t.empty() && t.size() <= 2 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const int count = std::stoi(t);
    if (count == 0) return std::nullopt;
    return LengthSource{LengthSource::From::kCount, 0, static_cast<uint8_t>(count)};
  }
  bool deref = !t.empty() && t[0] == '*';
  std::string_view rest = std::string_view(t).substr(deref ? 1 : 0);
  if (rest.size() != 4 || rest.substr(0, 3) != "arg" || rest[3] < '0' || rest[3] > '5') return std::nullopt;
  return LengthSource{deref ? LengthSource::From::kArgDeref : LengthSource::From::kArg,
                      static_cast<uint8_t>(rest[3] - '0')};
}

// "sp-8+rt_sigframe.uc.uc_sigmask": terms after "sp", each a signed
// number of bytes or "+" a BTF member path.
std::optional<StackLocation> parse_stack(std::string_view t) {
  if (!t.starts_with("sp")) return std::nullopt;
  t.remove_prefix(2);
  StackLocation at;
  while (!t.empty()) {
    const char sign = t[0];
    if (sign != '+' && sign != '-') return std::nullopt;
    t.remove_prefix(1);
    const size_t end = std::min(t.find_first_of("+-"), t.size());
    const std::string_view term = t.substr(0, end);
    t.remove_prefix(end);
    if (term.empty()) return std::nullopt;
    if (std::all_of(term.begin(), term.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      if (term.size() > 4) return std::nullopt;
      const int n = std::stoi(std::string(term));
      at.bias += sign == '-' ? -n : n;
    } else if (sign == '+' && at.member.empty()) {
      at.member = term;
    } else {
      return std::nullopt;
    }
  }
  if (at.member.empty()) return std::nullopt;
  return at;
}

}  // namespace

// "KIND[_in|_out|_inout][:PARAM][:LENGTH][@STACK]"
Result<ArgSemantics> parse_argument(const std::string& whole) {
  const size_t at_sign = whole.find('@');
  const std::string token = whole.substr(0, at_sign);
  std::optional<StackLocation> stack;
  if (at_sign != std::string::npos) {
    stack = parse_stack(std::string_view(whole).substr(at_sign + 1));
    if (!stack)
      return Error{"bad stack location in '" + whole + "' (sp, then -N, +N and one +struct.member...)"};
  }
  auto parts = split(token, ':');
  std::string head = parts[0];
  std::optional<Direction> dir;
  for (auto [suffix, d] : {std::pair{"_inout", Direction::kInOut}, {"_in", Direction::kIn}, {"_out", Direction::kOut}}) {
    std::string_view sv(suffix);
    if (head.size() > sv.size() && head.compare(head.size() - sv.size(), sv.size(), sv) == 0) {
      dir = d;
      head.resize(head.size() - sv.size());
      break;
    }
  }
  auto it = kinds().find(head);
  if (it == kinds().end())
    return Error{"unknown argument kind '" + head + "' in '" + token + "'"};
  const KindSpec& spec = it->second;
  ArgSemantics a;
  a.kind = spec.kind;
  a.direction = dir.value_or(spec.default_direction);
  const size_t wanted = 1 + spec.takes_param + spec.takes_length;
  const bool without_length = spec.length_optional && parts.size() == wanted - 1;
  if (parts.size() != wanted && !without_length) {
    const std::string least = spec.length_optional ? std::to_string(wanted - 2) + " or " : "";
    return Error{"'" + token + "' needs " + least + std::to_string(wanted - 1) + " parameter(s) after the kind"};
  }
  size_t i = 1;
  if (spec.takes_param) a.param = parts[i++];
  if (spec.takes_length && !without_length) {
    auto len = parse_length(parts[i]);
    if (!len)
      return Error{"bad length '" + parts[i] + "' in '" + token + "' (argN, *argN, ret or a count from 1 to 99)"};
    if (len->from == LengthSource::From::kReturn && a.direction == Direction::kIn)
      return Error{"'" + token + "': an input cannot be bounded by the return value"};
    a.length = *len;
  }
  if (stack) {
    if (a.kind <= ArgKind::kLastScalar || a.direction != Direction::kIn)
      return Error{"'" + whole + "': only an input in memory can be read from the stack"};
    a.stack = std::move(stack);
  }
  return a;
}

namespace {

std::optional<ReturnKind> parse_return(const std::string& t) {
  static const std::map<std::string_view, ReturnKind> r = {{"int", ReturnKind::kInt},
                                                           {"fd", ReturnKind::kFd},
                                                           {"addr", ReturnKind::kAddress},
                                                           {"hex", ReturnKind::kHex},
                                                           {"pid", ReturnKind::kPid},
                                                           {"none", ReturnKind::kNone}};
  auto it = r.find(t);
  if (it == r.end()) return std::nullopt;
  return it->second;
}

std::optional<FdEffect> parse_fd_effect(const std::string& t) {
  static const std::map<std::string_view, FdEffect> e = {
      {"open", FdEffect::kOpen},
      {"openat", FdEffect::kOpenat},
      {"openat2", FdEffect::kOpenat2},
      {"creat", FdEffect::kCreat},
      {"memfd", FdEffect::kMemfd},
      {"socket", FdEffect::kSocket},
      {"socketpair", FdEffect::kSocketpair},
      {"accept", FdEffect::kAccept},
      {"accept4", FdEffect::kAccept4},
      {"bind", FdEffect::kBind},
      {"connect", FdEffect::kConnect},
      {"getsockname", FdEffect::kGetsockname},
      {"getpeername", FdEffect::kGetpeername},
      {"dup", FdEffect::kDup},
      {"dup2", FdEffect::kDup2},
      {"dup3", FdEffect::kDup3},
      {"fcntl", FdEffect::kFcntl},
      {"close", FdEffect::kClose},
      {"close_range", FdEffect::kCloseRange},
      {"pipe", FdEffect::kPipe},
      {"pipe2", FdEffect::kPipe2},
      {"anon", FdEffect::kAnonymous},
      {"signalfd", FdEffect::kSignalfd},
      {"signalfd4", FdEffect::kSignalfd4},
      {"chdir", FdEffect::kChdir},
      {"fchdir", FdEffect::kFchdir},
      {"unshare", FdEffect::kUnshare},
      {"clone", FdEffect::kClone},
      {"clone3", FdEffect::kClone3},
  };
  auto it = e.find(t);
  if (it == e.end()) return std::nullopt;
  return it->second;
}

uint32_t parse_classes(const std::string& word, std::vector<std::string>& unknown) {
  uint32_t classes = 0;
  if (word == "-") return 0;
  for (const auto& c : split(word, ',')) {
    uint32_t bits = 0;
    for (const auto& [name, b] : trace_class_names())
      if (name == c) bits = b;
    if (!bits) unknown.push_back(c);
    classes |= bits;
  }
  return classes;
}

// One line's words: NAME CLASSES ARGS... [-> RETURN] [fds=EFFECT].
Result<SyscallSemantics> parse_line(std::vector<std::string> w) {
  if (w.size() < 2) return Error{"a line needs a name and classes ('-' for none)"};
  SyscallSemantics s;
  s.name = w[0];
  std::vector<std::string> unknown;
  s.classes = parse_classes(w[1], unknown);
  if (!unknown.empty()) return Error{"unknown class '" + unknown.front() + "'"};
  if (w.back().starts_with("fds=")) {
    auto effect = parse_fd_effect(w.back().substr(4));
    if (!effect) return Error{"unknown descriptor effect '" + w.back() + "'"};
    s.fds = *effect;
    w.pop_back();
  }
  for (size_t i = 2; i < w.size(); ++i) {
    if (w[i] == "->") {
      std::optional<ReturnKind> r = i + 1 < w.size() ? parse_return(w[i + 1]) : std::nullopt;
      if (!r || i + 2 != w.size()) return Error{"'->' must end the line with int, fd, addr, hex, pid or none"};
      s.ret = *r;
      break;
    }
    auto a = parse_argument(w[i]);
    if (!a) return a.error();
    if (s.args.size() == 6) return Error{"more than six arguments"};
    s.args.push_back(*a);
  }
  return s;
}

}  // namespace

const std::vector<std::pair<std::string_view, uint32_t>>& trace_class_names() {
  static const std::vector<std::pair<std::string_view, uint32_t>> names = {
      {"file", kClassFile},     {"desc", kClassDesc},       {"network", kClassNetwork}, {"net", kClassNetwork},
      {"process", kClassProcess}, {"memory", kClassMemory}, {"signal", kClassSignal},   {"ipc", kClassIpc},
      {"creds", kClassCreds},   {"clock", kClassClock},     {"stat", kClassStat},       {"lstat", kClassLstat},
      {"fstat", kClassFstat},   {"statfs", kClassStatfs},   {"fstatfs", kClassFstatfs}, {"pure", kClassPure},
      // strace's %%stat and %%statfs: every variant (ustat, which strace also
      // counts in %%statfs, has no class of its own here).
      {"%stat", kClassStat | kClassLstat | kClassFstat},     {"%statfs", kClassStatfs | kClassFstatfs},
  };
  return names;
}

std::vector<SyscallSemantics> parse_semantics(std::string_view text, std::vector<SemanticsParseError>& errors) {
  std::vector<SyscallSemantics> out;
  std::istringstream in{std::string(text)};
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string t; words >> t;) w.push_back(t);
    if (w.empty()) continue;
    auto s = parse_line(std::move(w));
    if (s)
      out.push_back(std::move(*s));
    else
      errors.push_back({number, s.error().message});
  }
  return out;
}

const std::vector<SyscallSemantics>& all_semantics() {
  static const std::vector<SyscallSemantics> table = [] {
    std::vector<SemanticsParseError> errors;
    auto t = parse_semantics(kSyscallSemanticsTable, errors);
    // The table is part of the program; a unit test keeps it free of errors.
    return t;
  }();
  return table;
}

const SyscallSemantics* find_semantics(std::string_view name) {
  static const std::map<std::string, const SyscallSemantics*, std::less<>> index = [] {
    std::map<std::string, const SyscallSemantics*, std::less<>> m;
    for (const auto& s : all_semantics()) m.emplace(s.name, &s);
    return m;
  }();
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

}  // namespace etrace::catalog
