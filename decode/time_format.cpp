#include "decode/time_format.h"

#include <time.h>

#include <cstdio>

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

std::string iso8601_utc(int64_t wall_ns) {
  // Events come in bursts within the same second: format the date and time
  // once per second, then only the nanoseconds (this is the JSON hot path).
  thread_local time_t cached_second = -1;
  thread_local char cached[80];
  Split t = split(wall_ns);
  if (t.seconds != cached_second) {
    struct tm tm {};
    gmtime_r(&t.seconds, &tm);
    std::snprintf(cached, sizeof(cached), "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = t.seconds;
  }
  std::string out(cached);
  char nanos[10] = "000000000";
  for (int i = 8, n = static_cast<int>(t.nanos); i >= 0; --i, n /= 10) nanos[i] = static_cast<char>('0' + n % 10);
  out.append(nanos, 9);
  out += 'Z';
  return out;
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
