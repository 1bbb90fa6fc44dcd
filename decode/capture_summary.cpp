#include "decode/capture_summary.h"

#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <linux/types.h>

#include <nlohmann/json.hpp>

#include "decode/render/time_format.h"
#include "format/block_reader.h"
#include "format/event_frame.h"
#include "format/metadata.h"
#include "format/records.h"

namespace etrace::decode {

namespace {

const char* record_type_name(uint16_t type) {
  switch (type) {
    case ETRACE_REC_SYS_ENTER: return "syscall_enter";
    case ETRACE_REC_SYS_EXIT: return "syscall_exit";
    case ETRACE_REC_TASK: return "task";
    case ETRACE_REC_FORK: return "fork";
    case ETRACE_REC_EXEC: return "exec";
    case ETRACE_REC_EXIT: return "exit";
    case ETRACE_REC_LOSS: return "loss";
    case ETRACE_REC_CONTEXT: return "context";
    case ETRACE_REC_FD: return "descriptor";
    case ETRACE_REC_LIB_ENTER: return "library_enter";
    case ETRACE_REC_LIB_EXIT: return "library_exit";
    case ETRACE_REC_SIGNAL: return "signal";
    default: return "unknown";
  }
}

// What a pass over the blocks finds.
struct Summary {
  uint16_t major = 0, minor = 0;
  uint64_t file_bytes = 0;
  std::optional<format::HostInfo> host;
  std::optional<format::CaptureInfo> capture;
  std::optional<format::CaptureStats> stats;
  std::map<std::string, uint64_t> records;  // by type name
  uint64_t frames = 0, raw_bytes = 0, compressed_bytes = 0, bad_frames = 0;
  bool btf = false;
  format::ReadEnd end = format::ReadEnd::kNotYet;
  std::string end_message;
};

void count_frame(const format::Block& block, Summary& s) {
  ++s.frames;
  s.compressed_bytes += block.body.size();
  auto frame = format::open_frame(block.body);
  if (!frame) {
    ++s.bad_frames;
    return;
  }
  s.raw_bytes += frame->records.size();
  format::RecordCursor cursor(frame->records);
  while (auto record = cursor.next()) ++s.records[record_type_name(record->type)];
}

void take(const format::Block& block, Summary& s) {
  using format::BlockType;
  switch (block.type) {
    case BlockType::kHost:
      if (auto h = format::host_info_from(block.body)) s.host = *h;
      break;
    case BlockType::kCapture:
      if (auto c = format::capture_info_from(block.body)) s.capture = *c;
      break;
    case BlockType::kStats:
      if (auto t = format::capture_stats_from(block.body)) s.stats = *t;
      break;
    case BlockType::kBtf:
      s.btf = true;
      break;
    case BlockType::kEvents:
      count_frame(block, s);
      break;
    default:
      break;
  }
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::optional<int64_t> wall_ns(const Summary& s, uint64_t monotonic_ns) {
  if (!s.capture) return std::nullopt;
  return static_cast<int64_t>(monotonic_ns) + s.capture->realtime_offset_ns;
}

std::string ending(const Summary& s) {
  if (s.end == format::ReadEnd::kCorrupt) return "corrupt: " + s.end_message;
  if (s.end == format::ReadEnd::kTruncated) return "truncated: " + s.end_message;
  if (!s.stats) return "unfinished: no statistics trailer (etrace-capture was killed, or is still writing)";
  return "cleanly, with its statistics trailer";
}

// 64-bit counts as decimal strings, as every etrace JSON carries them (decode/JSON.md, Numbers).
std::string digits(uint64_t n) { return std::to_string(n); }

nlohmann::json as_json(const Summary& s, const std::string& name) {
  nlohmann::json j;
  j["file"] = name;
  if (s.file_bytes) j["file_bytes"] = digits(s.file_bytes);
  j["format"] = std::to_string(s.major) + "." + std::to_string(s.minor);
  if (s.host)
    j["host"] = {{"hostname", s.host->hostname}, {"kernel_release", s.host->kernel_release},
                 {"kernel_version", s.host->kernel_version}, {"machine", s.host->machine}, {"cpus", s.host->cpus}};
  if (s.capture) {
    j["etrace_version"] = s.capture->etrace_version;
    j["command_line"] = s.capture->argv;
    j["start"] = iso8601_utc(*wall_ns(s, s.capture->start_ns));
  }
  if (s.stats) {
    j["stop_reason"] = s.stats->stop_reason;
    if (s.capture) {
      j["end"] = iso8601_utc(*wall_ns(s, s.stats->end_ns));
      j["duration_s"] = static_cast<double>(s.stats->end_ns - s.capture->start_ns) / 1e9;
    }
    j["lost"] = digits(s.stats->total_lost());
  }
  j["records"] = nlohmann::json::object();
  for (const auto& [type, n] : s.records) j["records"][type] = digits(n);
  j["frames"] = digits(s.frames);
  j["raw_bytes"] = digits(s.raw_bytes);
  j["compressed_bytes"] = digits(s.compressed_bytes);
  j["btf"] = s.btf;
  j["ended_cleanly"] = s.end == format::ReadEnd::kClean && s.stats.has_value();
  j["ending"] = ending(s);
  return j;
}

void print_text(const Summary& s, const std::string& name, std::ostream& out) {
  out << "File:            " << name;
  if (s.file_bytes) out << " (" << s.file_bytes << " bytes)";
  out << "\n";
  out << "Format:          etrace capture " << s.major << "." << s.minor << "\n";
  if (s.capture)
    out << "Written by:      etrace-capture " << s.capture->etrace_version << ": " << joined(s.capture->argv) << "\n";
  if (s.host)
    out << "Host:            " << s.host->hostname << ", Linux " << s.host->kernel_release << ", " << s.host->machine
        << ", " << s.host->cpus << " CPUs\n";
  if (s.capture) out << "Start:           " << iso8601_utc(*wall_ns(s, s.capture->start_ns)) << "\n";
  if (s.stats && s.capture) {
    out << "End:             " << iso8601_utc(*wall_ns(s, s.stats->end_ns)) << " (" << s.stats->stop_reason << ")\n";
    std::ostringstream secs;
    secs.precision(3);
    secs << std::fixed << static_cast<double>(s.stats->end_ns - s.capture->start_ns) / 1e9;
    out << "Duration:        " << secs.str() << " s\n";
  }
  uint64_t total = 0;
  for (const auto& [type, n] : s.records) total += n;
  out << "Records:         " << total;
  const char* sep = " (";
  for (const auto& [type, n] : s.records) out << sep << type << " " << n, sep = ", ";
  out << (s.records.empty() ? "" : ")") << "\n";
  out << "Lost:            " << (s.stats ? std::to_string(s.stats->total_lost()) : "unknown (no statistics trailer)")
      << "\n";
  out << "Events frames:   " << s.frames << ", " << s.raw_bytes << " bytes of records in " << s.compressed_bytes
      << " compressed";
  if (s.compressed_bytes) out << " (" << s.raw_bytes / s.compressed_bytes << "x)";
  if (s.bad_frames) out << "; " << s.bad_frames << " damaged";
  out << "\n";
  out << "Kernel BTF:      " << (s.btf ? "carried" : "left out (decode needs --btf)") << "\n";
  out << "Ended:           " << ending(s) << "\n";
}

}  // namespace

int print_capture_summary(std::istream& in, const std::string& name, bool json, std::ostream& out) {
  format::BlockReader reader(in);
  if (auto opened = reader.open(); !opened) {
    std::cerr << "etrace-decode: " << name << ": " << opened.error().message << "\n";
    return 1;
  }
  Summary s;
  s.major = reader.header().major;
  s.minor = reader.header().minor;
  while (auto block = reader.next()) take(*block, s);
  s.end = reader.end();
  s.end_message = reader.message();
  in.clear();
  in.seekg(0, std::ios::end);  // a file's size; a pipe has none
  if (const auto size = in.tellg(); size > 0) s.file_bytes = static_cast<uint64_t>(size);
  if (json)
    out << as_json(s, name).dump() << "\n";
  else
    print_text(s, name, out);
  return s.end == format::ReadEnd::kCorrupt ? 1 : 0;
}

}  // namespace etrace::decode
