// The numbered entries of a /proc directory: the pids of /proc, the thread
// ids of /proc/PID/task, the descriptors of /proc/PID/fd.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace etrace::capture {

// In increasing order; empty when `dir` cannot be read (a process gone).
std::vector<uint32_t> numeric_entries(const std::string& dir);

}  // namespace etrace::capture
