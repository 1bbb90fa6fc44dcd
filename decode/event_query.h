// The command line's filters and queries, resolved against the capture
// they apply to: syscall names by its table, times by its start and clock,
// errno names by number. Every error is a usage error, one sentence.
#pragma once

#include "common/result.h"
#include "decode/input/capture_file.h"
#include "decode/input/event_filter.h"
#include "decode/options.h"

namespace etrace::decode {

Result<EventFilter> filter_for(const Options& o, const CaptureFile& capture);

}  // namespace etrace::decode
