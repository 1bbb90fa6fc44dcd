#include "decode/event_query.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "catalog/container_id.h"
#include "catalog/syscall_selection.h"
#include "common/command_line.h"
#include "decode/values/errno_names.h"

namespace etrace::decode {

namespace {

// "14:03:07.25", "2026-12-07 14:03:07", "2026-12-07T14:03:07.5Z": the
// epoch ns it names, a time alone on the day the capture started; local
// time (as -t shows) unless it ends in Z.
std::optional<int64_t> wall_clock_ns(const std::string& text, int64_t start_wall_ns) {
  std::tm tm{};
  const time_t start_s = static_cast<time_t>(start_wall_ns / 1'000'000'000);
  const bool utc = !text.empty() && text.back() == 'Z';
  utc ? gmtime_r(&start_s, &tm) : localtime_r(&start_s, &tm);
  double seconds = 0;
  int consumed = 0;
  const std::string body = utc ? text.substr(0, text.size() - 1) : text;
  if (std::sscanf(body.c_str(), "%d-%d-%d%*1[ T]%d:%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &consumed) == 5) {
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
  } else if (std::sscanf(body.c_str(), "%d:%d%n", &tm.tm_hour, &tm.tm_min, &consumed) != 2) {
    return std::nullopt;
  }
  std::string rest = body.substr(static_cast<size_t>(consumed));
  if (!rest.empty()) {
    int more = 0;
    if (rest[0] != ':' || std::sscanf(rest.c_str() + 1, "%lf%n", &seconds, &more) != 1 ||
        static_cast<size_t>(more) + 1 != rest.size() || seconds < 0 || seconds >= 61)
      return std::nullopt;
  }
  tm.tm_sec = 0;
  tm.tm_isdst = -1;
  const time_t whole = utc ? timegm(&tm) : mktime(&tm);
  if (whole == static_cast<time_t>(-1)) return std::nullopt;
  return static_cast<int64_t>(whole) * 1'000'000'000 + std::llround(seconds * 1e9);
}

// --since/--until TIME as a monotonic bound of this capture.
Result<uint64_t> time_bound(const std::string& option, const std::string& text, const CaptureFile& capture) {
  if (!capture.capture())
    return Error{option + " needs the capture's start, and this file has no capture block"};
  const auto& info = *capture.capture();
  if (text.find(':') != std::string::npos) {
    auto wall = wall_clock_ns(text, static_cast<int64_t>(info.start_ns) + info.realtime_offset_ns);
    if (!wall)
      return Error{option + " " + text + ": a wall-clock time is HH:MM[:SS[.frac]] or YYYY-MM-DD HH:MM[:SS[.frac]], "
                   "with Z for UTC"};
    return static_cast<uint64_t>(std::max<int64_t>(0, *wall - info.realtime_offset_ns));
  }
  auto offset = parse_duration(text[0] == '+' ? text.substr(1) : text);
  if (!offset) return Error{option + " " + text + ": an offset from the start is " + offset.error().message};
  return info.start_ns + static_cast<uint64_t>(*offset * 1e9);
}

Result<void> add_outcomes(const Options& o, EventFilter& filter) {
  Qualifiers q;
  for (const auto& expr : o.qualifiers)
    if (auto parsed = parse_qualifier(expr, q); !parsed) return parsed;
  std::vector<std::string> statuses = o.statuses;
  statuses.insert(statuses.end(), q.status.begin(), q.status.end());
  for (const auto& s : statuses) {
    if (s == "successful") filter.outcomes.insert(CallOutcome::kSuccessful);
    else if (s == "failed") filter.outcomes.insert(CallOutcome::kFailed);
    else if (s == "unfinished") filter.outcomes.insert(CallOutcome::kUnfinished);
    else return Error{"-e status=" + s + ": etrace knows successful, failed and unfinished"};
  }
  for (const auto& e : o.errnos) {
    int number = 0;
    if (std::sscanf(e.c_str(), "%d", &number) == 1 && std::to_string(number) == e && number > 0 && number < 4096) {
      filter.errnos.insert(number);
      continue;
    }
    for (number = 1; number < 4096 && errno_name(number) != std::optional<std::string_view>(e); ++number) {
    }
    if (number == 4096) return Error{"--errno " + e + ": no error has that name (ENOENT, EACCES, ...)"};
    filter.errnos.insert(number);
  }
  return {};
}

Result<void> add_syscalls(const Options& o, const format::SyscallTable& table, EventFilter& filter) {
  Qualifiers q;
  for (const auto& expr : o.qualifiers) (void)parse_qualifier(expr, q);  // checked by add_outcomes
  std::vector<std::string> names = o.syscalls;
  names.insert(names.end(), q.trace.begin(), q.trace.end());
  if (names.empty()) return {};
  auto nrs = catalog::select_syscalls(table, catalog::all_semantics(), names);
  if (!nrs) return Error{"--syscall: " + nrs.error().message};
  for (uint32_t nr : *nrs)
    if (nr <= UINT16_MAX) filter.syscalls.insert(static_cast<uint16_t>(nr));  // records carry 16-bit numbers
  return {};
}

}  // namespace

Result<EventFilter> filter_for(const Options& o, const CaptureFile& capture) {
  const format::SyscallTable table = capture.syscall_table().value_or(format::SyscallTable{});
  for (const auto& name : o.histograms) {
    const bool known = std::any_of(table.names.begin(), table.names.end(), [&](const auto& n) { return n.second == name; });
    if (!known) return Error{"--histogram: the capture's syscall table has no syscall named " + name};
  }
  EventFilter filter;
  filter.pids.insert(o.pids.begin(), o.pids.end());
  filter.tids.insert(o.tids.begin(), o.tids.end());
  filter.trees.insert(o.trees.begin(), o.trees.end());
  filter.comms.insert(o.comms.begin(), o.comms.end());
  filter.paths.insert(o.paths.begin(), o.paths.end());
  filter.uids.insert(o.uids.begin(), o.uids.end());
  for (const auto& c : o.cgroups) filter.cgroups.push_back(cgroup_filter_path(c));
  for (const auto& id : o.containers) {
    auto prefix = catalog::container_id_prefix(id);
    if (!prefix) return Error{"--container " + id + ": a container id is 12 to 64 hex digits"};
    filter.containers.push_back(*prefix);
  }
  if (auto added = add_outcomes(o, filter); !added) return added.error();
  if (auto added = add_syscalls(o, table, filter); !added) return added.error();
  for (auto [option, text, bound] : {std::tuple{"--since", &o.since, &filter.since_ns},
                                     std::tuple{"--until", &o.until, &filter.until_ns}}) {
    if (text->empty()) continue;
    auto ns = time_bound(option, *text, capture);
    if (!ns) return ns.error();
    *bound = *ns;
  }
  return filter;
}

}  // namespace etrace::decode
