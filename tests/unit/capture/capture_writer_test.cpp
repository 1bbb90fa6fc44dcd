// CaptureWriter on a disk that fills (issue 14, items 2 and 3): a rotated
// capture with --rotate-count on a 1 MiB tmpfs runs for as long as it is
// fed, its removed files' space given back; a capture that fills the disk
// ends after its last whole frame with its statistics trailer, its losses
// counted and marked. No BPF: records are made here and handed to the
// writer as the reader thread does.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/types.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>

#include "capture/capture_writer.h"
#include "capture/loss_record.h"
#include "capture/output_file.h"
#include "format/block_reader.h"
#include "format/event_frame.h"
#include "format/records.h"
#include "tests/support/scratch_files.h"
#include "tests/support/small_filesystem.h"
#include "tests/unit/error_of.h"

namespace etrace::capture {
namespace {

namespace fs = std::filesystem;
using etrace::test::error_of;
using etrace::test::names_in;

constexpr uint32_t kGetpid = 39;
constexpr uint32_t kRead = 0;

CaptureMetadata metadata() {
  CaptureMetadata m;
  m.host.cpus = 2;
  m.host.hostname = "test";
  m.table.names = {{kRead, "read"}, {kGetpid, "getpid"}};
  m.table.events = m.table.names;
  m.info.start_ns = 1;
  return m;
}

// Syscall records much as a busy program makes them: about 4:1 under zstd.
class Records {
 public:
  std::vector<uint8_t> next() {
    etrace_sys_enter r{};
    r.h.type = ETRACE_REC_SYS_ENTER;
    r.h.size = sizeof(r);
    r.h.cpu = static_cast<__u16>(n_ % 2);
    r.h.nr = (n_ % 3) ? kGetpid : kRead;
    r.h.ts_ns = 1000 + n_;
    r.h.tgid = r.h.tid = 4242;
    r.args[0] = rng_() % 64;
    r.args[1] = 0x7ffd00000000ull + (rng_() % 4096) * 16;
    r.args[2] = rng_() % 65536;
    ++n_;
    const auto* p = reinterpret_cast<const uint8_t*>(&r);
    return {p, p + sizeof(r)};
  }
  // A loss record: `count` records lost on `cpu` before the next one.
  std::vector<uint8_t> loss(uint16_t cpu, uint64_t count) const {
    return loss_record(cpu, {count, 1000 + n_, 1000 + n_}, 1000 + n_);
  }
  uint64_t made() const { return n_; }

 private:
  uint64_t n_ = 0;
  std::mt19937_64 rng_{14};
};

// What a capture file holds, read back as etrace-decode reads it.
struct Contents {
  bool opened = false;
  format::ReadEnd end = format::ReadEnd::kNotYet;
  std::string message;
  std::optional<format::CaptureStats> stats;
  bool stats_last = false;  // nothing follows the trailer
  uint64_t records = 0;     // in events blocks
  std::map<uint16_t, uint64_t> marked;  // per CPU: losses its loss records mark
  std::map<uint16_t, uint64_t> last_ts;  // per CPU: its last syscall record
  std::vector<etrace_loss_record> losses;
};

Contents read_capture(const std::string& path) {
  Contents c;
  std::ifstream in(path, std::ios::binary);
  format::BlockReader reader(in);
  if (!reader.open()) return c;
  c.opened = true;
  while (auto block = reader.next()) {
    c.stats_last = false;
    if (block->type == format::BlockType::kStats) {
      if (auto stats = format::capture_stats_from(block->body)) c.stats = *stats;
      c.stats_last = true;
    } else if (block->type == format::BlockType::kEvents) {
      auto frame = format::open_frame(block->body);
      if (!frame) continue;
      format::RecordCursor cursor(frame->records);
      while (auto r = cursor.next()) {
        ++c.records;
        etrace_header h;
        std::memcpy(&h, r->bytes.data(), sizeof(h));
        if (r->type == ETRACE_REC_LOSS) {
          etrace_loss_record loss;
          std::memcpy(&loss, r->bytes.data(), sizeof(loss));
          c.marked[h.cpu] += loss.count;
          c.losses.push_back(loss);
        } else {
          c.last_ts[h.cpu] = std::max(c.last_ts[h.cpu], static_cast<uint64_t>(h.ts_ns));
        }
      }
    }
  }
  c.end = reader.end();
  c.message = reader.message();
  return c;
}

// The files under `dir` this process has open: "NAME", or "NAME (deleted)".
std::vector<std::string> open_files_under(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = fs::read_symlink(e.path(), ec).string();
    if (!ec && target.rfind(dir + "/", 0) == 0) out.push_back(target.substr(dir.size() + 1));
  }
  return out;
}

// A rotated capture as etrace-capture sets one up: FILE.0 opened and put
// in place by OutputFile, the writer closing it once past it.
class RotatedCapture {
 public:
  RotatedCapture(const std::string& base, uint64_t rotate_bytes, uint32_t rotate_count) {
    WriterLimits limits;
    limits.rotate_bytes = rotate_bytes;
    limits.rotate_count = rotate_count;
    limits.rotate_base = base;
    const auto opened = output_.open(rotated_name(base, 0), true);
    EXPECT_EQ(error_of(opened), "");
    if (opened) {
      EXPECT_EQ(error_of(output_.commit()), "");
    }
    writer_.emplace(output_.fd(), output_.name(), limits);
    writer_->set_first_file_closer([this] { output_.close(); });
  }
  CaptureWriter& writer() { return *writer_; }

 private:
  OutputFile output_;
  std::optional<CaptureWriter> writer_;  // after output_: gone first
};

TEST(CaptureWriterOnAFullDisk, RotateCountKeepsARotatedCaptureGoingOnATinyFilesystem) {
  ETRACE_SMALL_FILESYSTEM(disk, 1 << 20);
  const std::string base = disk.file("rot.raw");
  // As etrace-capture --rotate-size 256K --rotate-count 3 -o rot.raw sets it up.
  RotatedCapture capture(base, 256 << 10, 3);
  CaptureWriter& writer = capture.writer();
  ASSERT_EQ(error_of(writer.write_metadata(metadata())), "");

  // Several times what the disk holds, compressed.
  Records records;
  while (writer.bytes_written() < 6u << 20 && writer.error().empty()) writer.add_record(records.next());
  format::CaptureStats stats;
  stats.stop_reason = "command exited";
  EXPECT_TRUE(writer.finish(stats)) << writer.error();
  EXPECT_EQ(writer.error(), "");
  EXPECT_GE(writer.bytes_written(), 6u << 20);
  EXPECT_EQ(writer.records_written(), records.made()) << "nothing dropped";

  // The three newest files, each whole and alone decodable.
  const uint64_t files = writer.files();
  ASSERT_GE(files, 10u);
  std::vector<std::string> want;
  for (uint64_t k = files - 3; k < files; ++k) want.push_back("rot.raw." + std::to_string(k));
  EXPECT_EQ(names_in(disk.dir()), want);
  for (const auto& name : want) {
    SCOPED_TRACE(name);
    const Contents c = read_capture(disk.file(name));
    ASSERT_TRUE(c.opened);
    EXPECT_EQ(c.end, format::ReadEnd::kClean) << c.message;
    ASSERT_TRUE(c.stats.has_value());
    EXPECT_TRUE(c.stats_last);
    EXPECT_EQ(c.stats->total_written(), c.records);
    EXPECT_EQ(c.stats->stop_reason, name == want.back() ? "command exited" : "rotated");
  }
  // No descriptor left on a removed file, FILE.0 included: only the last
  // file is still open (until the writer goes).
  EXPECT_EQ(open_files_under(disk.dir()), std::vector<std::string>{want.back()});
}

// Feeds `writer` until the disk is full, in frames of 2000 records (as a
// capture of a few thousand calls a second makes them, one a second); a
// loss record first marks `marked` losses on CPU 0.
void fill_the_disk(CaptureWriter& writer, Records& records, uint64_t marked) {
  writer.add_record(records.loss(0, marked));
  for (int i = 1; i < 50'000'000 && !writer.disk_full(); ++i) {
    writer.add_record(records.next());
    if (i % 2000 == 0) writer.flush_if_due(UINT64_MAX);  // as if a second had passed
  }
  ASSERT_TRUE(writer.disk_full()) << writer.error();
}

TEST(CaptureWriterOnAFullDisk, FullDiskEndsTheFileWithItsTrailerAndExactLosses) {
  ETRACE_SMALL_FILESYSTEM(disk, 512 << 10);
  const std::string path = disk.file("full.raw");
  OutputFile output;
  ASSERT_EQ(error_of(output.open(path, false)), "");
  ASSERT_EQ(error_of(output.commit()), "");
  CaptureWriter writer(output.fd(), output.name());
  // The kernel's counts: 10 records lost on CPU 0 (4 of them marked by the
  // loss record fed first), 3 on CPU 1 (none marked), one skipped run.
  writer.set_loss_source([](format::CaptureStats& s) {
    s.syscalls[kGetpid].lost = 13;
    s.cpus[0] = format::CpuLoss{10, 500, 900};
    s.cpus[1] = format::CpuLoss{3, 700, 800};
    s.hook_misses = 1;
  });
  ASSERT_EQ(error_of(writer.write_metadata(metadata())), "");
  Records records;
  fill_the_disk(writer, records, 4);
  if (HasFatalFailure()) return;
  EXPECT_EQ(writer.error(), "the disk holding " + path + " is full");

  format::CaptureStats stats;  // main's, at the stop: what the writer takes at the cut prevails
  stats.stop_reason = "disk full";
  stats.command_status = 7 << 8;
  stats.cpus[0] = format::CpuLoss{99, 1, 2};
  EXPECT_TRUE(writer.finish(stats));

  const Contents c = read_capture(path);
  ASSERT_TRUE(c.opened);
  EXPECT_EQ(c.end, format::ReadEnd::kClean) << "ends after a whole block: " << c.message;
  ASSERT_TRUE(c.stats.has_value()) << "the statistics trailer is there";
  EXPECT_TRUE(c.stats_last);
  EXPECT_EQ(c.stats->stop_reason, "disk full");
  EXPECT_EQ(c.stats->command_status, 7 << 8);
  // Written: exactly the records in the file, the trailing loss records aside.
  const uint64_t trailing = c.losses.size() - 1;
  EXPECT_EQ(c.stats->total_written() + trailing, c.records);
  EXPECT_EQ(writer.records_written() + trailing, c.records);
  EXPECT_LT(writer.records_written(), writer.records_taken());
  // Lost: the kernel's counts at the cut, every one of them marked in the file.
  EXPECT_EQ(c.stats->total_lost(), 13u + 1u);
  EXPECT_EQ(c.stats->cpus.at(0).lost, 10u);
  EXPECT_EQ(c.marked.at(0), 10u);
  EXPECT_EQ(c.marked.at(1), 3u);
  ASSERT_EQ(c.losses.size(), 3u);
  // The gap left open on CPU 0 lies after its last record in the file.
  const auto& gap = c.losses[1].h.cpu == 0 ? c.losses[1] : c.losses[2];
  EXPECT_EQ(gap.count, 6u);
  EXPECT_GE(gap.first_ts_ns, c.last_ts.at(0));
  EXPECT_GE(gap.last_ts_ns, gap.first_ts_ns);

  // The file takes no more room than it holds: the reserve was given back.
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_LE(static_cast<uint64_t>(st.st_blocks) * 512, (static_cast<uint64_t>(st.st_size) + 4095) / 4096 * 4096);
}

TEST(CaptureWriterOnAFullDisk, RotatedCaptureWithoutACountEndsItsLastFileCleanly) {
  ETRACE_SMALL_FILESYSTEM(disk, 1 << 20);
  const std::string base = disk.file("rot.raw");
  RotatedCapture capture(base, 128 << 10, 0);
  CaptureWriter& writer = capture.writer();
  ASSERT_EQ(error_of(writer.write_metadata(metadata())), "");
  Records records;
  fill_the_disk(writer, records, 0);
  if (HasFatalFailure()) return;
  EXPECT_TRUE(writer.finish({}));

  const auto names = names_in(disk.dir());
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(names.size(), writer.files()) << "no file left half-made";
  uint64_t written = 0;
  for (uint64_t k = 0; k < names.size(); ++k) {
    const std::string name = "rot.raw." + std::to_string(k);
    SCOPED_TRACE(name);
    const Contents c = read_capture(disk.file(name));
    EXPECT_EQ(c.end, format::ReadEnd::kClean) << c.message;
    ASSERT_TRUE(c.stats.has_value());
    EXPECT_EQ(c.stats->stop_reason, k + 1 == names.size() ? "disk full" : "rotated");
    written += c.stats->total_written();
  }
  EXPECT_EQ(written, writer.records_written());
}

TEST(CaptureWriterOnAFullDisk, WithoutAllocationAheadABlockCutByTheDiskIsCutOff) {
  // A file system that cannot fallocate is out of reach here; a BlockWriter
  // without a reserve meets the full disk in write() just the same.
  ETRACE_SMALL_FILESYSTEM(disk, 256 << 10);
  const std::string path = disk.file("plain.raw");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  format::BlockWriter out(fd, path);
  ASSERT_TRUE(out.write_file_header());
  std::vector<uint8_t> body(50'000);
  std::mt19937 rng(3);
  int blocks = 0;
  while (out.write_block(format::BlockType::kCapture, body)) {
    ++blocks;
    for (auto& b : body) b = static_cast<uint8_t>(rng());
  }
  EXPECT_TRUE(out.out_of_space()) << out.error();
  ::close(fd);
  const Contents c = read_capture(path);
  EXPECT_EQ(c.end, format::ReadEnd::kClean) << c.message;
  EXPECT_EQ(fs::file_size(path), out.bytes_written());
  EXPECT_EQ(fs::file_size(path), 24u + blocks * (16u + 50'000u + 8u));
}

}  // namespace
}  // namespace etrace::capture
