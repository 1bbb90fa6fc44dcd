// The files a process has mapped (/proc/PID/maps): where --list-libs finds
// shared objects and --lib -p finds a library named by its soname.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace etrace::capture {

struct MappedFile {
  std::string path;      // as the process sees it
  uint64_t start = 0;    // the mapping's address range and file offset
  uint64_t end = 0;
  uint64_t offset = 0;
  dev_t device = 0;
  uint64_t inode = 0;
};

// Every file-backed mapping of process `pid` (0: this process), in address
// order, or why the maps cannot be read.
Result<std::vector<MappedFile>> mapped_files(uint32_t pid);

// The paths of those mappings, each once, in the order first mapped.
std::vector<std::string> distinct_paths(const std::vector<MappedFile>& maps);

// `path` of process `pid` as this process can open it: through the
// process's root directory, which differs inside containers.
std::string path_in(uint32_t pid, const std::string& path);

}  // namespace etrace::capture
