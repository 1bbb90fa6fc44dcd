#include "capture/host_facts.h"

#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

namespace etrace::capture {

namespace {

int64_t ns_of(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

format::HostInfo read_host_info() {
  format::HostInfo h;
  utsname u{};
  if (uname(&u) == 0) {
    h.hostname = u.nodename;
    h.kernel_release = u.release;
    h.kernel_version = u.version;
    h.machine = u.machine;
  }
  h.page_size = static_cast<uint32_t>(sysconf(_SC_PAGESIZE));
  h.cpus = static_cast<uint32_t>(sysconf(_SC_NPROCESSORS_CONF));
  return h;
}

int64_t realtime_offset_ns() {
  // Bracket the realtime read between two monotonic reads and take the
  // narrowest of a few tries: the offset is then exact to tens of ns.
  int64_t best_gap = INT64_MAX, offset = 0;
  for (int i = 0; i < 5; ++i) {
    int64_t m1 = ns_of(CLOCK_MONOTONIC), r = ns_of(CLOCK_REALTIME), m2 = ns_of(CLOCK_MONOTONIC);
    if (m2 - m1 < best_gap) {
      best_gap = m2 - m1;
      offset = r - (m1 + (m2 - m1) / 2);
    }
  }
  return offset;
}

uint64_t monotonic_ns() { return static_cast<uint64_t>(ns_of(CLOCK_MONOTONIC)); }

}  // namespace etrace::capture
