// Timestamps and durations as text, shared by the renderers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace etrace::decode {

// "2026-11-22T03:01:56.123456789Z" (UTC, nanoseconds).
std::string iso8601_utc(int64_t wall_ns);
// The same into `out`, without allocating (the JSON hot path); returns its length.
inline constexpr size_t kIso8601Size = 48;
size_t format_iso8601_utc(int64_t wall_ns, char (&out)[kIso8601Size]);

// strace's -t forms in local time: level 1 "03:01:56", 2 "03:01:56.123456",
// 3 "1795316516.123456" (seconds since the epoch).
std::string strace_timestamp(int64_t wall_ns, int level);

// Seconds with six decimals: "0.000123".
std::string seconds_with_micros(uint64_t ns);

}  // namespace etrace::decode
