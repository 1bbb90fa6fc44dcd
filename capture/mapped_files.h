// The files a process has mapped (/proc/PID/maps): where --list-libs finds
// shared objects and --lib -p finds a library named by its soname.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
// order; nullopt with a sentence in `error` when the maps cannot be read.
std::optional<std::vector<MappedFile>> mapped_files(uint32_t pid, std::string& error);

// The paths of those mappings, each once, in the order first mapped.
std::vector<std::string> distinct_paths(const std::vector<MappedFile>& maps);

// `path` of process `pid` as this process can open it: through the
// process's root directory, which differs inside containers.
std::string path_in(uint32_t pid, const std::string& path);

}  // namespace etrace::capture
