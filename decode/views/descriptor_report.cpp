#include "decode/views/descriptor_report.h"

#include <cinttypes>
#include <cstdio>

#include "decode/render/json_writer.h"
#include "decode/render/time_format.h"

namespace etrace::decode {
namespace {

bool is_socket(const DescriptorRow& row) { return row.kind == OpenFile::Kind::kSocket; }

const char* type_name(OpenFile::Kind kind) {
  switch (kind) {
    case OpenFile::Kind::kPath: return "file";
    case OpenFile::Kind::kPipe: return "pipe";
    case OpenFile::Kind::kSocket: return "socket";
    case OpenFile::Kind::kOther: break;
  }
  return "other";
}

// "05:22:02.164931" (local time, as -tt), or what stands for an unknown end.
std::string time_text(const std::optional<int64_t>& wall_ns, const char* unknown) {
  return wall_ns ? strace_timestamp(*wall_ns, 2) : unknown;
}

void put_optional(JsonLine& j, const char* key, const std::string& s) {
  j.key(key);
  if (s.empty()) j.null();
  else j.value(s);
}

void put_time(JsonLine& j, const char* key, const std::optional<int64_t>& wall_ns) {
  j.key(key);
  if (wall_ns) j.value(iso8601_utc(*wall_ns));
  else j.null();
  j.key(std::string(key) + "_ns");
  if (wall_ns) j.digits(*wall_ns);
  else j.null();
}

void write_json(std::ostream& out, const DescriptorRow& row) {
  const bool socket = is_socket(row);
  JsonLine j;
  j.key("kind").value(socket ? "conn" : "file");
  j.key("fd").value(row.fd);
  j.key("pid").value(row.pid);
  j.key("comm");
  if (row.comm) j.value(*row.comm);
  else j.null();
  if (socket) {
    put_optional(j, "protocol", row.protocol);
    put_optional(j, "local", row.local);
    put_optional(j, "peer", row.peer);
  } else {
    j.key("type").value(type_name(row.kind));
  }
  j.key("name").value(row.name);
  put_time(j, "opened", row.opened_ns);
  put_time(j, "closed", row.closed_ns);
  j.key("calls").value(row.calls);
  j.key("errors").value(row.errors);
  // Sums of bytes: 64 bits wide, decimal strings (decode/JSON.md, Numbers).
  j.key(socket ? "received_bytes" : "read_bytes").digits(row.read_bytes);
  j.key(socket ? "sent_bytes" : "written_bytes").digits(row.written_bytes);
  out << j.finish();
}

void write_header(std::ostream& out, bool sockets) {
  char line[160];
  std::snprintf(line, sizeof(line), "%5s %7s %-16s %-15s %-15s %7s %6s %10s %10s %s\n", "FD", "PID", "COMM", "OPENED",
                "CLOSED", "CALLS", "ERRORS", sockets ? "RECEIVED" : "READ", sockets ? "SENT" : "WRITTEN",
                sockets ? "PROTOCOL LOCAL -> PEER" : "NAME");
  out << line;
}

void write_text(std::ostream& out, const DescriptorRow& row) {
  char line[160];
  std::snprintf(line, sizeof(line), "%5d %7u %-16s %-15s %-15s %7" PRIu64 " %6" PRIu64 " %10" PRIu64 " %10" PRIu64 " ",
                row.fd, row.pid, row.comm.value_or("?").c_str(), time_text(row.opened_ns, "(before)").c_str(),
                time_text(row.closed_ns, "(open)").c_str(), row.calls, row.errors, row.read_bytes, row.written_bytes);
  out << line;
  if (is_socket(row) && !row.protocol.empty())
    out << row.protocol << " " << (row.local.empty() ? "?" : row.local) << " -> " << (row.peer.empty() ? "?" : row.peer);
  else
    out << row.name;
  out << "\n";
}

}  // namespace

void DescriptorReport::finish() {
  const auto rows = activity_.rows();
  for (bool sockets : {false, true}) {
    if (!(sockets ? options_.conns : options_.files)) continue;
    if (!options_.json) {
      if (sockets && options_.files) out_ << "\n";
      write_header(out_, sockets);
    }
    for (const auto& row : rows) {
      if (is_socket(row) != sockets) continue;
      if (options_.json) write_json(out_, row);
      else write_text(out_, row);
    }
  }
  out_.flush();
}

}  // namespace etrace::decode
