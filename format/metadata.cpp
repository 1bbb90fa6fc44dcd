#include "format/metadata.h"

#include <linux/types.h>
#include <nlohmann/json.hpp>

#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "format/records.h"

using nlohmann::json;

namespace etrace::format {

uint64_t CaptureStats::total_written() const {
  uint64_t n = process_records.written;
  for (const auto& [nr, c] : syscalls) n += c.written;
  for (const auto& [index, c] : functions) n += c.written;
  return n;
}

uint64_t CaptureStats::total_lost() const {
  uint64_t n = process_records.lost + hook_misses;
  for (const auto& [nr, c] : syscalls) n += c.lost;
  for (const auto& [index, c] : functions) n += c.lost;
  return n;
}

namespace {

std::vector<uint8_t> body_of(const json& j) {
  // Host names and command lines are bytes, not always UTF-8: replace, never throw.
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return {s.begin(), s.end()};
}

template <typename T, typename Fill>
Result<T> parse(std::span<const uint8_t> body, const char* what, Fill fill) {
  try {
    json j = json::parse(body.begin(), body.end());
    if (!j.is_object()) throw std::runtime_error("not a JSON object");
    T value{};
    fill(j, value);
    return value;
  } catch (const std::exception& e) {
    return Error{std::string("the capture's ") + what + " block is malformed (" + e.what() + ")"};
  }
}

// Integers are read through these, not json::get: nlohmann casts whatever
// number it holds (a float past the type's range is undefined behaviour, -1
// becomes 4294967295), while a member that no integer of its field can be
// is as malformed as one of the wrong type.
template <typename T>
T integer(const json& j) {
  if (j.is_number_unsigned()) {
    if (const auto v = j.get<uint64_t>(); std::in_range<T>(v)) return static_cast<T>(v);
  } else if (j.is_number_integer()) {
    if (const auto v = j.get<int64_t>(); std::in_range<T>(v)) return static_cast<T>(v);
  }
  throw std::runtime_error(j.dump() + " where an integer from " + std::to_string(std::numeric_limits<T>::min()) +
                           " to " + std::to_string(std::numeric_limits<T>::max()) + " belongs");
}

// An optional member: `fallback` when absent.
template <typename T>
T integer(const json& j, const char* key, T fallback) {
  const auto it = j.find(key);
  return it == j.end() ? fallback : integer<T>(*it);
}

template <typename T>
std::vector<T> integers(const json& j, const char* key) {
  std::vector<T> out;
  for (const auto& e : j.value(key, json::array())) out.push_back(integer<T>(e));
  return out;
}

json counts_json(const SyscallCounts& c) { return {{"written", c.written}, {"lost", c.lost}}; }
SyscallCounts counts_from(const json& j) { return {integer(j, "written", uint64_t{0}), integer(j, "lost", uint64_t{0})}; }

// Counts keyed by number: [{"<key>": 4, "written": ..., "lost": ...}].
json keyed_counts_json(const std::map<uint32_t, SyscallCounts>& counts, const char* key) {
  json list = json::array();
  for (const auto& [n, c] : counts) {
    json e = counts_json(c);
    e[key] = n;
    list.push_back(e);
  }
  return list;
}

void keyed_counts_from(const json& list, const char* key, std::map<uint32_t, SyscallCounts>& out) {
  for (const auto& e : list) out[integer<uint32_t>(e.at(key))] = counts_from(e);
}

json ops_json(const std::vector<CopyOp>& ops) {
  json list = json::array();
  for (const auto& op : ops) {
    json o = {{"kind", op.kind}, {"arg", op.arg},   {"len_source", op.len_source}, {"len_arg", op.len_arg},
              {"flags", op.flags}, {"size", op.size}};
    if (op.offset) o["offset"] = op.offset;
    if (!op.type.empty()) o["type"] = op.type;
    if (op.btf_id) o["btf_id"] = op.btf_id;
    if (op.flags & ETRACE_OP_INDIRECT) o["member"] = op.member;
    list.push_back(o);
  }
  return list;
}

std::vector<CopyOp> ops_from(const json& list) {
  std::vector<CopyOp> ops;
  for (const auto& o : list) {
    CopyOp op;
    op.kind = integer<uint8_t>(o.at("kind"));
    op.arg = integer<uint8_t>(o.at("arg"));
    op.offset = integer(o, "offset", int16_t{0});
    op.len_source = integer(o, "len_source", uint8_t{0});
    op.len_arg = integer(o, "len_arg", uint8_t{0});
    op.flags = integer(o, "flags", uint16_t{0});
    op.size = integer(o, "size", 0u);
    op.type = o.value("type", "");
    op.btf_id = integer(o, "btf_id", 0u);
    op.member = o.value("member", "");
    ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace

std::vector<uint8_t> to_block_body(const HostInfo& h) {
  return body_of({{"hostname", h.hostname},
                  {"kernel_release", h.kernel_release},
                  {"kernel_version", h.kernel_version},
                  {"machine", h.machine},
                  {"page_size", h.page_size},
                  {"cpus", h.cpus}});
}

std::vector<uint8_t> to_block_body(const CaptureInfo& c) {
  return body_of({{"etrace_version", c.etrace_version},
                  {"argv", c.argv},
                  {"realtime_offset_ns", c.realtime_offset_ns},
                  {"start_ns", c.start_ns},
                  {"pids", c.pids},
                  {"comms", c.comms},
                  {"syscalls", c.syscalls},
                  {"command", c.command},
                  {"cgroups", c.cgroups},
                  {"follow", c.follow},
                  {"buffer_bytes", c.buffer_bytes}});
}

std::vector<uint8_t> to_block_body(const SyscallTable& t) {
  json names = json::array();
  for (const auto& [nr, name] : t.names) {
    json e = {{"nr", nr}, {"name", name}};
    if (auto it = t.events.find(nr); it != t.events.end()) e["event"] = it->second;
    names.push_back(e);
  }
  return body_of({{"source", t.source}, {"syscalls", names}});
}

std::vector<uint8_t> to_block_body(const TracepointFormats& f) { return body_of({{"formats", f.formats}}); }

std::vector<uint8_t> to_block_body(const CaptureStats& s) {
  json cpus = json::array();
  for (const auto& [cpu, l] : s.cpus) cpus.push_back({{"cpu", cpu}, {"lost", l.lost}, {"first_ns", l.first_ns}, {"last_ns", l.last_ns}});
  json j = {{"end_ns", s.end_ns},
            {"stop_reason", s.stop_reason},
            {"syscalls", keyed_counts_json(s.syscalls, "nr")},
            {"process_records", counts_json(s.process_records)},
            {"cpus", cpus},
            {"hook_misses", s.hook_misses},
            {"total_written", s.total_written()},
            {"total_lost", s.total_lost()}};
  if (!s.functions.empty()) j["functions"] = keyed_counts_json(s.functions, "index");
  if (s.command_status) j["command_status"] = *s.command_status;
  return body_of(j);
}

Result<HostInfo> host_info_from(std::span<const uint8_t> body) {
  return parse<HostInfo>(body, "host", [](const json& j, HostInfo& h) {
    h.hostname = j.value("hostname", "");
    h.kernel_release = j.value("kernel_release", "");
    h.kernel_version = j.value("kernel_version", "");
    h.machine = j.value("machine", "");
    h.page_size = integer(j, "page_size", 0u);
    h.cpus = integer(j, "cpus", 0u);
  });
}

Result<CaptureInfo> capture_info_from(std::span<const uint8_t> body) {
  return parse<CaptureInfo>(body, "capture", [](const json& j, CaptureInfo& c) {
    c.etrace_version = j.value("etrace_version", "");
    c.argv = j.value("argv", std::vector<std::string>{});
    c.realtime_offset_ns = integer(j, "realtime_offset_ns", int64_t{0});
    c.start_ns = integer(j, "start_ns", uint64_t{0});
    c.pids = integers<uint32_t>(j, "pids");
    c.comms = j.value("comms", std::vector<std::string>{});
    c.syscalls = j.value("syscalls", std::vector<std::string>{});
    c.command = j.value("command", std::vector<std::string>{});
    c.cgroups = j.value("cgroups", std::vector<std::string>{});
    c.follow = j.value("follow", true);
    c.buffer_bytes = integer(j, "buffer_bytes", uint64_t{0});
  });
}

std::vector<uint8_t> to_block_body(const CopyPlans& p) {
  std::map<uint32_t, json> entries;
  for (const auto& [nr, ops] : p.syscalls) entries[nr] = {{"nr", nr}, {"ops", ops_json(ops)}};
  for (const auto& [nr, commands] : p.commands) {
    json& e = entries[nr];
    if (e.is_null()) e = {{"nr", nr}, {"ops", json::array()}};
    json plans = json::array();
    for (const auto& [value, ops] : commands.plans) plans.push_back({{"value", value}, {"ops", ops_json(ops)}});
    e["command_arg"] = commands.arg;
    e["command_mask"] = commands.mask;
    e["commands"] = plans;
  }
  json syscalls = json::array();
  for (auto& [nr, e] : entries) syscalls.push_back(std::move(e));
  return body_of({{"bytes_cap", p.bytes_cap}, {"string_cap", p.string_cap}, {"syscalls", syscalls}});
}

Result<CopyPlans> copy_plans_from(std::span<const uint8_t> body) {
  return parse<CopyPlans>(body, "copy plans", [](const json& j, CopyPlans& p) {
    p.bytes_cap = integer(j, "bytes_cap", 0u);
    p.string_cap = integer(j, "string_cap", 0u);
    for (const auto& e : j.at("syscalls")) {
      const auto nr = integer<uint32_t>(e.at("nr"));
      p.syscalls[nr] = ops_from(e.at("ops"));
      if (!e.contains("commands")) continue;
      CommandPlans& c = p.commands[nr];
      c.arg = integer(e, "command_arg", uint8_t{0});
      if (c.arg >= 6) throw std::runtime_error("a command_arg names no argument");
      c.mask = integer(e, "command_mask", 0u);
      for (const auto& plan : e.at("commands")) c.plans[integer<uint32_t>(plan.at("value"))] = ops_from(plan.at("ops"));
    }
  });
}

std::vector<uint8_t> to_block_body(const LibraryTable& t) {
  json libraries = json::array();
  for (const auto& l : t.libraries) libraries.push_back({{"path", l.path}, {"soname", l.soname}});
  json functions = json::array();
  for (const auto& f : t.functions) {
    json e = {{"library", f.library}, {"name", f.name}, {"offset", f.offset}, {"ops", ops_json(f.ops)}};
    if (!f.prototype.empty()) e["prototype"] = f.prototype;
    functions.push_back(e);
  }
  return body_of({{"libraries", libraries}, {"functions", functions}});
}

Result<LibraryTable> library_table_from(std::span<const uint8_t> body) {
  return parse<LibraryTable>(body, "libraries", [](const json& j, LibraryTable& t) {
    for (const auto& e : j.at("libraries")) t.libraries.push_back({e.at("path").get<std::string>(), e.value("soname", "")});
    for (const auto& e : j.at("functions")) {
      LibraryFunction f;
      f.library = integer<uint32_t>(e.at("library"));
      if (f.library >= t.libraries.size()) throw std::runtime_error("a function names a library that is not listed");
      f.name = e.at("name").get<std::string>();
      f.offset = integer(e, "offset", uint64_t{0});
      f.prototype = e.value("prototype", "");
      f.ops = ops_from(e.value("ops", json::array()));
      t.functions.push_back(std::move(f));
    }
  });
}

Result<SyscallTable> syscall_table_from(std::span<const uint8_t> body) {
  return parse<SyscallTable>(body, "syscall table", [](const json& j, SyscallTable& t) {
    t.source = j.value("source", "");
    for (const auto& e : j.at("syscalls")) {
      const auto nr = integer<uint32_t>(e.at("nr"));
      t.names[nr] = e.at("name").get<std::string>();
      if (e.contains("event")) t.events[nr] = e.at("event").get<std::string>();
    }
  });
}

Result<TracepointFormats> tracepoint_formats_from(std::span<const uint8_t> body) {
  return parse<TracepointFormats>(body, "tracepoint formats", [](const json& j, TracepointFormats& f) {
    f.formats = j.at("formats").get<std::map<std::string, std::string>>();
  });
}

Result<CaptureStats> capture_stats_from(std::span<const uint8_t> body) {
  return parse<CaptureStats>(body, "statistics", [](const json& j, CaptureStats& s) {
    s.end_ns = integer(j, "end_ns", uint64_t{0});
    s.stop_reason = j.value("stop_reason", "");
    keyed_counts_from(j.value("syscalls", json::array()), "nr", s.syscalls);
    keyed_counts_from(j.value("functions", json::array()), "index", s.functions);
    s.process_records = counts_from(j.value("process_records", json::object()));
    for (const auto& e : j.value("cpus", json::array()))
      s.cpus[integer<uint32_t>(e.at("cpu"))] = {integer(e, "lost", uint64_t{0}), integer(e, "first_ns", uint64_t{0}),
                                                integer(e, "last_ns", uint64_t{0})};
    s.hook_misses = integer(j, "hook_misses", uint64_t{0});
    if (j.contains("command_status")) s.command_status = integer<int>(j.at("command_status"));
  });
}

}  // namespace etrace::format
