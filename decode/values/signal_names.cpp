#include "decode/values/signal_names.h"

#include <string.h>

namespace etrace::decode {

std::string signal_name(int sig) {
  // sigabbrev_np (glibc 2.32) knows the standard signals, not the realtime
  // range. Statuses come from the kernel, whose realtime signals start at 32
  // (the C library reserves the first few for itself and moves SIGRTMIN), so
  // they are named by their offset from 32, as strace does.
  constexpr int kKernelSigRtMin = 32;
  if (sig > 0 && sig < kKernelSigRtMin)
    if (const char* abbrev = sigabbrev_np(sig)) return std::string("SIG") + abbrev;
  if (sig >= kKernelSigRtMin && sig <= 64) return "SIGRT_" + std::to_string(sig - kKernelSigRtMin);
  return "SIG" + std::to_string(sig);
}

}  // namespace etrace::decode
