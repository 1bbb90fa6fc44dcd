#include "capture/loss_record.h"

#include <linux/types.h>

#include "format/records.h"

namespace etrace::capture {

std::vector<uint8_t> loss_record(uint32_t cpu, const format::CpuLoss& gap, uint64_t ts_ns) {
  etrace_loss_record r{};
  r.h.type = ETRACE_REC_LOSS;
  r.h.size = sizeof(r);
  r.h.cpu = static_cast<__u16>(cpu);
  r.h.nr = ETRACE_NR_UNKNOWN;
  r.h.ts_ns = ts_ns;
  r.count = gap.lost;
  r.first_ts_ns = gap.first_ns;
  r.last_ts_ns = gap.last_ns;
  const auto* bytes = reinterpret_cast<const uint8_t*>(&r);
  return {bytes, bytes + sizeof(r)};
}

}  // namespace etrace::capture
