#include "capture/targets.h"

#include <fstream>

namespace etrace::capture {

Result<uint32_t> process_of(uint32_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (status && std::getline(status, line))
    if (line.rfind("Tgid:", 0) == 0) return static_cast<uint32_t>(std::stoul(line.substr(5)));
  return Error{"no process with pid " + std::to_string(pid)};
}

std::vector<std::string> kernel_comms(const std::vector<std::string>& names, std::vector<std::string>& warnings) {
  constexpr size_t kMax = 15;  // TASK_COMM_LEN - 1
  std::vector<std::string> out;
  for (const auto& n : names) {
    if (n.size() > kMax)
      warnings.push_back("command name '" + n + "' is longer than the kernel keeps; matching '" + n.substr(0, kMax) +
                         "'");
    out.push_back(n.substr(0, kMax));
  }
  return out;
}

}  // namespace etrace::capture
