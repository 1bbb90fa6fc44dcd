#include "capture/proc_entries.h"

#include <dirent.h>

#include <algorithm>
#include <cstdlib>

namespace etrace::capture {

std::vector<uint32_t> numeric_entries(const std::string& dir) {
  std::vector<uint32_t> out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (const dirent* e = readdir(d)) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(e->d_name, &end, 10);
    if (end != e->d_name && *end == '\0' && n <= UINT32_MAX) out.push_back(static_cast<uint32_t>(n));
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace etrace::capture
