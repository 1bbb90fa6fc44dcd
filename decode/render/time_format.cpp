#include "decode/render/time_format.h"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace etrace::decode {
namespace {

struct Split {
  time_t seconds;
  int64_t nanos;  // 0 .. 999999999
};

// Floor division, so times before 1970 still print sensibly.
Split split(int64_t wall_ns) {
  int64_t s = wall_ns / 1000000000;
  int64_t ns = wall_ns % 1000000000;
  if (ns < 0) {
    ns += 1000000000;
    --s;
  }
  return {static_cast<time_t>(s), ns};
}

}  // namespace

size_t format_iso8601_utc(int64_t wall_ns, char (&out)[kIso8601Size]) {
  // Events come in bursts within the same second: format the date and time
  // once per second, then only the nanoseconds (this is the JSON hot path).
  thread_local time_t cached_second = -1;
  thread_local char cached[kIso8601Size];
  thread_local size_t cached_len = 0;
  Split t = split(wall_ns);
  if (t.seconds != cached_second) {
    struct tm tm {};
    gmtime_r(&t.seconds, &tm);
    const int n = std::snprintf(cached, sizeof(cached), "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_len = n > 0 ? std::min<size_t>(static_cast<size_t>(n), sizeof(cached) - 11) : 0;
    cached_second = t.seconds;
  }
  std::memcpy(out, cached, cached_len);
  char* nanos = out + cached_len;
  for (int i = 8, n = static_cast<int>(t.nanos); i >= 0; --i, n /= 10) nanos[i] = static_cast<char>('0' + n % 10);
  nanos[9] = 'Z';
  return cached_len + 10;
}

std::string iso8601_utc(int64_t wall_ns) {
  char buf[kIso8601Size];
  return std::string(buf, format_iso8601_utc(wall_ns, buf));
}

std::string strace_timestamp(int64_t wall_ns, int level) {
  Split t = split(wall_ns);
  char buf[64];
  const long long micros = t.nanos / 1000;
  if (level >= 3) {
    std::snprintf(buf, sizeof(buf), "%lld.%06lld", static_cast<long long>(t.seconds), micros);
    return buf;
  }
  struct tm tm {};
  localtime_r(&t.seconds, &tm);
  if (level == 2)
    std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d.%06lld", tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
  else
    std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string seconds_with_micros(uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%llu.%06llu", static_cast<unsigned long long>(ns / 1000000000),
                static_cast<unsigned long long>(ns % 1000000000 / 1000));
  return buf;
}

}  // namespace etrace::decode
