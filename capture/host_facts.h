// Facts about this machine that a capture carries for decoding elsewhere.
#pragma once

#include <cstdint>

#include "format/metadata.h"

namespace etrace::capture {

format::HostInfo read_host_info();

// CLOCK_REALTIME - CLOCK_MONOTONIC, sampled tightly, so decoders turn BPF
// timestamps (monotonic) into wall-clock time.
int64_t realtime_offset_ns();

uint64_t monotonic_ns();

}  // namespace etrace::capture
