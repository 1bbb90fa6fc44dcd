// The on-disk framing of a capture file: file header, block header and
// block types. Specified in format/FORMAT.md; this header is its code.
#pragma once

#include <cstdint>

namespace etrace::format {

inline constexpr uint8_t kMagic[8] = {0x89, 'E', 'T', 'R', 'C', '\r', '\n', 0x1a};
inline constexpr uint32_t kByteOrderMark = 0x1a2b3c4d;
inline constexpr uint16_t kMajorVersion = 1;
inline constexpr uint16_t kMinorVersion = 4;  // 1.1: payloads, copy plans, BTF, loss records; 1.2: contexts, descriptor snapshots, library calls; 1.3: signals, copies from the stack, dirent counts; 1.4: command plans

struct FileHeader {
  uint8_t magic[8];
  uint32_t byte_order;
  uint16_t major;
  uint16_t minor;
  uint32_t header_size;  // bytes from the start of the file to the first block
  uint32_t flags;        // none defined; readers ignore unknown bits
};
static_assert(sizeof(FileHeader) == 24);

enum class BlockType : uint32_t {
  kHost = 1,               // JSON: the machine the capture ran on
  kCapture = 2,            // JSON: how the capture was made, the clock offset
  kSyscallTable = 3,       // JSON: this kernel's syscall numbers and names
  kTracepointFormats = 4,  // JSON: verbatim tracefs format files
  kEvents = 5,             // EventsHeader + a zstd frame of raw records
  kStats = 6,              // JSON: the trailer, written when capture ends
  kCopyPlans = 7,          // JSON: what was copied per syscall, with BTF type ids (1.1)
  kBtf = 8,                // the capturing kernel's raw BTF, zstd-compressed (1.1)
  kLibraries = 9,          // JSON: the traced library functions, their prototypes and copy plans (1.2)
};

struct BlockHeader {
  uint32_t type;
  uint32_t flags;  // BlockFlags
  uint64_t body_size;
};

enum BlockFlags : uint32_t {
  // The body is one zstd frame; readers decompress it before use. Used for
  // the large metadata blocks (formats, syscall table); events frames carry
  // their own EventsHeader instead.
  kBlockZstd = 1u << 0,
};
inline constexpr uint32_t kKnownBlockFlags = kBlockZstd;
// A compressed metadata body never inflates past this.
inline constexpr uint64_t kMaxInflatedBody = 256ull << 20;
static_assert(sizeof(BlockHeader) == 16);

// Bodies are padded to this alignment, then the body size is repeated so a
// torn or misframed block is detected rather than misread.
inline constexpr uint64_t kBlockAlign = 8;
inline constexpr uint64_t kBlockTrailerSize = 8;
// No block is larger than this; a larger length means corruption.
inline constexpr uint64_t kMaxBlockBody = 1ull << 30;

enum class Compression : uint32_t { kNone = 0, kZstd = 1 };

struct EventsHeader {
  uint64_t raw_size;      // bytes of records once decompressed
  uint32_t record_count;
  uint32_t compression;   // Compression
};
static_assert(sizeof(EventsHeader) == 16);

// A frame never holds more raw bytes than this (the writer flushes earlier).
inline constexpr uint64_t kMaxFrameRaw = 256ull << 20;

inline constexpr uint64_t padded(uint64_t n) { return (n + kBlockAlign - 1) & ~(kBlockAlign - 1); }

}  // namespace etrace::format
