// The loss records (ETRACE_REC_LOSS, format/records.h) etrace-capture writes
// itself, for gaps no record of the kernel's marks: those still open when
// tracing stopped, and those a full disk left unmarked.
#pragma once

#include <cstdint>
#include <vector>

#include "format/metadata.h"

namespace etrace::capture {

// `gap.lost` records lost on `cpu` between `gap.first_ns` and `gap.last_ns`,
// stamped `ts_ns` (when the gap was found).
std::vector<uint8_t> loss_record(uint32_t cpu, const format::CpuLoss& gap, uint64_t ts_ns);

}  // namespace etrace::capture
