// The common header of a record as the BPF side writes it, for tests that
// build records by hand (format's and decode's).
#pragma once

#include <linux/types.h>

#include <cstdint>

#include "format/records.h"

namespace etrace::test {

inline etrace_header record_header(uint16_t type, uint16_t size, uint16_t cpu, uint16_t nr, uint64_t ts,
                                   uint32_t tgid, uint32_t tid) {
  etrace_header h{};
  h.type = type;
  h.size = size;
  h.cpu = cpu;
  h.nr = nr;
  h.ts_ns = ts;
  h.tgid = tgid;
  h.tid = tid;
  return h;
}

}  // namespace etrace::test
