// Captures built record by record, decoded to exact text and JSON lines.
// Expected lines are written from the record values by hand.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <ctime>

#include "decode_helpers.h"

using namespace etrace::test;
using etrace::decode::EventFilter;
using etrace::decode::TextOptions;

namespace {

constexpr uint64_t kAtFdcwd = 0xffffffffffffff9cull;  // -100 as the register holds it
constexpr uint64_t kPath = 0x7ffd1234abcdull;

}  // namespace

TEST(TextOutput, CompletedCall) {
  auto b = standard_capture();
  b.task(500, 100, 100, 1, "cat");
  b.enter(1000, 100, 100, kOpenat, {kAtFdcwd, kPath, 0x80000, 0, 0, 0});
  b.exit(2000, 100, 100, kOpenat, 3);
  // Without copied payloads a path shows as its address; flags and the
  // directory as strace spells them; mode only with O_CREAT.
  EXPECT_EQ(decode_text(b), "openat(AT_FDCWD, 0x7ffd1234abcd, O_RDONLY|O_CLOEXEC) = 3\n");
}

TEST(TextOutput, ZeroExtendedIntRegisterIsStillNegative) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kOpenat, {0x00000000ffffff9cull, 0, 0, 0, 0, 0});
  b.exit(2000, 100, 100, kOpenat, -14);
  EXPECT_EQ(decode_text(b), "openat(AT_FDCWD, NULL, O_RDONLY) = -1 EFAULT (Bad address)\n");
}

TEST(TextOutput, ErrorReturn) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kOpenat, {kAtFdcwd, kPath, 0, 0, 0, 0});
  b.exit(2000, 100, 100, kOpenat, -2);
  EXPECT_EQ(decode_text(b), "openat(AT_FDCWD, 0x7ffd1234abcd, O_RDONLY) = -1 ENOENT (No such file or directory)\n");
}

TEST(TextOutput, AddressReturnsAreHexUnlessErrors) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kMmap, {0, 4096, 3, 0x22, 0xffffffffffffffffull, 0});
  b.exit(2000, 100, 100, kMmap, 0x7f1234560000);
  b.enter(3000, 100, 100, kMmap, {0, 1ull << 40, 3, 0x22, 0xffffffffffffffffull, 0});
  b.exit(4000, 100, 100, kMmap, -12);
  b.enter(5000, 100, 100, kBrk, {0, 0, 0, 0, 0, 0});
  b.exit(6000, 100, 100, kBrk, 0x55550000);
  // mmap's format declares every argument `unsigned long`; the semantics
  // table makes its fd an int (-1) and its offset hex, as strace shows them.
  EXPECT_EQ(decode_text(b),
            "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1234560000\n"
            "mmap(NULL, 1099511627776, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM "
            "(Cannot allocate memory)\n"
            "brk(NULL) = 0x55550000\n");
}

TEST(TextOutput, SignedOffsetsAndPlainReturns) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kLseek, {3, 0xfffffffffffffff6ull, 2, 0, 0, 0});
  b.exit(2000, 100, 100, kLseek, 90);
  b.enter(3000, 100, 100, kKill, {0xffffffffull, 9, 0, 0, 0, 0});
  b.exit(4000, 100, 100, kKill, -3);
  EXPECT_EQ(decode_text(b), "lseek(3, -10, SEEK_END) = 90\nkill(-1, SIGKILL) = -1 ESRCH (No such process)\n");
}

TEST(TextOutput, KernelInternalErrno) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {0, kBuf, 10, 0, 0, 0});
  b.exit(2000, 100, 100, kRead, -512);
  EXPECT_EQ(decode_text(b), "read(0, 0x7ffd00001000, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n");
}

TEST(TextOutput, ErrnoWithoutAName) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {0, kBuf, 10, 0, 0, 0});
  b.exit(2000, 100, 100, kRead, -4000);
  EXPECT_EQ(decode_text(b), "read(0, 0x7ffd00001000, 10) = -1 errno 4000 (Unknown error 4000)\n");
  EXPECT_NE(decode_json(b).find("\"ret\":\"-4000\",\"errno\":\"4000\""), std::string::npos);
}

TEST(TextOutput, NegativeValuesOutsideTheErrorRangeAreValues) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kLseek, {3, 0, 0, 0, 0, 0});
  b.exit(2000, 100, 100, kLseek, -4096);
  EXPECT_EQ(decode_text(b), "lseek(3, 0, SEEK_SET) = -4096\n");
}

TEST(TextOutput, InterleavedThreads) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {3, kBuf, 4096, 0, 0, 0});
  b.enter(1100, 100, 101, kWrite, {1, 0x7ffd00002000, 5, 0, 0, 0});
  b.exit(1200, 100, 101, kWrite, 5);
  b.exit(1300, 100, 100, kRead, 5);
  // Inputs before the marker, outputs after the resumption, as strace -f
  // prints a blocked read (`strace -f sh -c '(sleep 0.2; echo x) | cat'`):
  //   read(0,  <unfinished ...>   ...   <... read resumed>"x\n", 131072) = 2
  EXPECT_EQ(decode_text(b),
            "[pid 100] read(3,  <unfinished ...>\n"
            "[pid 101] write(1, 0x7ffd00002000, 5) = 5\n"
            "[pid 100] <... read resumed>0x7ffd00001000, 4096) = 5\n");
}

TEST(TextOutput, CrossedCallsAreBothUnfinished) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {3, kBuf, 4096, 0, 0, 0});
  b.enter(1100, 100, 101, kWrite, {1, 0x7ffd00002000, 5, 0, 0, 0});
  b.exit(1200, 100, 100, kRead, 0);
  b.exit(1300, 100, 101, kWrite, 5);
  EXPECT_EQ(decode_text(b),
            "[pid 100] read(3,  <unfinished ...>\n"
            "[pid 101] write(1, 0x7ffd00002000, 5 <unfinished ...>\n"
            "[pid 100] <... read resumed>0x7ffd00001000, 4096) = 0\n"
            "[pid 101] <... write resumed>) = 5\n");
}

TEST(TextOutput, PrefixStartsOnceASecondThreadAppears) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kWrite, {1, kBuf, 1, 0, 0, 0});
  b.exit(1100, 100, 100, kWrite, 1);
  b.enter(1200, 100, 101, kWrite, {2, kBuf, 1, 0, 0, 0});
  b.exit(1300, 100, 101, kWrite, 1);
  b.enter(1400, 100, 100, kWrite, {1, kBuf, 1, 0, 0, 0});
  b.exit(1500, 100, 100, kWrite, 1);
  EXPECT_EQ(decode_text(b),
            "write(1, 0x7ffd00001000, 1) = 1\n"
            "[pid 101] write(2, 0x7ffd00001000, 1) = 1\n"
            "[pid 100] write(1, 0x7ffd00001000, 1) = 1\n");
}

TEST(TextOutput, ExitGroupNeverReturns) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kExitGroup, {3, 0, 0, 0, 0, 0});
  b.task_exit(1100, 100, 100, 3 << 8, true);
  EXPECT_EQ(decode_text(b), "exit_group(3) = ?\n+++ exited with 3 +++\n");
}

TEST(TextOutput, KilledBySignal) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {0, kBuf, 10, 0, 0, 0});
  b.task_exit(1100, 100, 100, 9, true);
  b.task_exit(1200, 200, 200, 11 | 0x80, true);
  EXPECT_EQ(decode_text(b),
            "read(0, 0x7ffd00001000, 10) = ?\n"
            "+++ killed by SIGKILL +++\n"
            "[pid 200] +++ killed by SIGSEGV (core dumped) +++\n");
}

TEST(TextOutput, ThreadExitsAreNotProcessEnds) {
  auto b = standard_capture();
  b.task_exit(1000, 100, 101, 0, false);
  b.task_exit(1100, 100, 100, 0, true);
  EXPECT_EQ(decode_text(b), "[pid 100] +++ exited with 0 +++\n");
}

TEST(TextOutput, UnfinishedAtEndOfInput) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {0, kBuf, 10, 0, 0, 0});
  EXPECT_EQ(decode_text(b), "read(0,  <unfinished ...>\n");
}

TEST(TextOutput, UnfinishedLineIsNotRepeatedAtEnd) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {0, kBuf, 10, 0, 0, 0});
  b.enter(1100, 100, 101, kFutex, {0x7f0000001000, 128, 0, 0, 0, 0});
  EXPECT_EQ(decode_text(b),
            "[pid 100] read(0,  <unfinished ...>\n"
            "[pid 101] futex(0x7f0000001000, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>\n");
}

TEST(TextOutput, ExitWithoutEnter) {
  auto b = standard_capture();
  b.exit(1000, 100, 100, kRead, 5);
  EXPECT_EQ(decode_text(b), "<... read resumed>) = 5\n");
}

TEST(TextOutput, NonLeaderExec) {
  auto b = standard_capture();
  b.task(0, 200, 200, 1, "app");
  b.task(0, 200, 201, 1, "app");
  b.enter(1000, 200, 200, kFutex, {0x7f0000001000, 128, 0, 0, 0, 0});
  b.enter(1100, 200, 201, kExecve, {0x560000001000, 0x7ffd00003000, 0x7ffd00004000, 0, 0, 0});
  b.task_exit(1200, 200, 200, 0, false);
  b.exec(1300, 200, 200, 201, "ls");
  b.exit(1400, 200, 200, kExecve, 0);
  b.enter(1500, 200, 200, kBrk, {0, 0, 0, 0, 0, 0});
  b.exit(1600, 200, 200, kBrk, 0x55550000);
  EXPECT_EQ(decode_text(b),
            "[pid 200] futex(0x7f0000001000, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>\n"
            "[pid 201] execve(0x560000001000, 0x7ffd00003000, 0x7ffd00004000 <unfinished ...>\n"
            "[pid 200] <... futex resumed>) = ?\n"
            "[pid 200] <... execve resumed>) = 0\n"
            "[pid 200] brk(NULL) = 0x55550000\n");
}

TEST(TextOutput, ForkedChildsCloneReturnIsHidden) {
  auto b = standard_capture();
  b.task(0, 300, 300, 1, "sh");
  fork_a_writer(b);
  b.enter(1700, 301, 301, kExitGroup, {0, 0, 0, 0, 0, 0});
  b.task_exit(1800, 301, 301, 0, true);
  EXPECT_EQ(decode_text(b),
            "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
            "child_tidptr=0x7f0000002000) = 301\n"
            "[pid 301] write(1, 0x7ffd00001000, 3) = 3\n"
            "[pid 301] exit_group(0) = ?\n"
            "[pid 301] +++ exited with 0 +++\n");
}

TEST(TextOutput, MissingFormatTakesTheArgumentsFromTheSemanticsTable) {
  CaptureBuilder b;
  b.syscall(kKill, "kill", /*with_format=*/false);
  b.enter(1000, 100, 100, kKill, {0x64, 9, 0x7f, 0, 0, 0xffffffffffffffffull});
  b.exit(2000, 100, 100, kKill, 0);
  EXPECT_EQ(decode_text(b), "kill(100, SIGKILL) = 0\n");
}

TEST(TextOutput, MissingFormatOfAnUnknownSyscallShowsSixRegisters) {
  CaptureBuilder b;
  b.syscall(998, "not_a_syscall", /*with_format=*/false);
  b.enter(1000, 100, 100, 998, {0x64, 9, 0x7f, 0, 0, 0xffffffffffffffffull});
  b.exit(2000, 100, 100, 998, 0);
  EXPECT_EQ(decode_text(b), "not_a_syscall(0x64, 0x9, 0x7f, 0, 0, 0xffffffffffffffff) = 0\n");
}

TEST(TextOutput, SyscallMissingFromTheTable) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, 999, {1, 2, 3, 4, 5, 6});
  b.exit(2000, 100, 100, 999, -38);
  EXPECT_EQ(decode_text(b), "syscall_999(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)\n");
}

TEST(TextOutput, FormatsAreFoundByTheSyscallsTracepointName) {
  CaptureBuilder b;
  b.table.names[4] = "stat";
  b.table.events[4] = "newstat";
  b.formats.formats["sys_enter_newstat"] = fixture("sys_enter_newstat.format");
  b.enter(1000, 100, 100, 4, {0x5600000010, 0x7ffd00005000, 0, 0, 0, 0});
  b.exit(2000, 100, 100, 4, 0);
  EXPECT_EQ(decode_text(b), "stat(0x5600000010, 0x7ffd00005000) = 0\n");
}

TEST(TextOutput, DurationsAndTimestamps) {
  setenv("TZ", "UTC", 1);
  tzset();
  auto b = standard_capture();
  // Monotonic 0 is 2026-11-22T03:00:00Z in standard captures.
  b.enter(1'500'000'000, 100, 100, kRead, {0, kBuf, 10, 0, 0, 0});
  b.exit(1'500'123'456, 100, 100, kRead, 10);
  EXPECT_EQ(decode_text(b, TextOptions{0, true}), "read(0, 0x7ffd00001000, 10) = 10 <0.000123>\n");
  EXPECT_EQ(decode_text(b, TextOptions{1, false}), "03:00:01 read(0, 0x7ffd00001000, 10) = 10\n");
  EXPECT_EQ(decode_text(b, TextOptions{2, true}), "03:00:01.500000 read(0, 0x7ffd00001000, 10) = 10 <0.000123>\n");
  EXPECT_EQ(decode_text(b, TextOptions{3, false}), "1795316401.500000 read(0, 0x7ffd00001000, 10) = 10\n");
}

TEST(TextOutput, ResumedLinesCarryTheirOwnTimeAndDuration) {
  setenv("TZ", "UTC", 1);
  tzset();
  auto b = standard_capture();
  b.enter(1'000'000'000, 100, 100, kRead, {3, kBuf, 1, 0, 0, 0});
  b.enter(2'000'000'000, 100, 101, kWrite, {1, kBuf, 1, 0, 0, 0});
  b.exit(2'000'001'000, 100, 101, kWrite, 1);
  b.exit(3'000'002'000, 100, 100, kRead, 1);
  EXPECT_EQ(decode_text(b, TextOptions{2, true}),
            "[pid 100] 03:00:01.000000 read(3,  <unfinished ...>\n"
            "[pid 101] 03:00:02.000000 write(1, 0x7ffd00001000, 1) = 1 <0.000001>\n"
            "[pid 100] 03:00:03.000002 <... read resumed>0x7ffd00001000, 1) = 1 <2.000002>\n");
}

TEST(TextOutput, Filters) {
  auto b = standard_capture();
  b.task(0, 100, 100, 1, "cat");
  b.task(0, 200, 200, 1, "ls");
  b.enter(1000, 100, 100, kRead, {3, kBuf, 1, 0, 0, 0});
  b.enter(1100, 200, 200, kWrite, {1, kBuf, 1, 0, 0, 0});
  b.exit(1200, 200, 200, kWrite, 1);
  b.exit(1300, 100, 100, kRead, 1);
  b.task_exit(1400, 200, 200, 0, true);
  EventFilter by_pid;
  by_pid.pids = {100};
  EXPECT_EQ(decode_text(b, {}, by_pid), "read(3, 0x7ffd00001000, 1) = 1\n");
  EventFilter by_comm;
  by_comm.comms = {"ls"};
  EXPECT_EQ(decode_text(b, {}, by_comm), "write(1, 0x7ffd00001000, 1) = 1\n+++ exited with 0 +++\n");
  EventFilter by_syscall;
  by_syscall.syscalls = {kRead};
  EXPECT_EQ(decode_text(b, {}, by_syscall),
            "read(3, 0x7ffd00001000, 1) = 1\n[pid 200] +++ exited with 0 +++\n");
}

TEST(TextOutput, RecordsAcrossBlocksAndUnknownRecordTypes) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {3, kBuf, 1, 0, 0, 0});
  b.new_block();
  std::vector<uint8_t> unknown(40, 0);
  unknown[0] = 99;  // type 99
  unknown[2] = 40;  // size 40
  b.raw_record(unknown);
  b.exit(1300, 100, 100, kRead, 1);
  EXPECT_EQ(decode_text(b), "read(3, 0x7ffd00001000, 1) = 1\n");
}

// Bytes after the fixed part are payload items (format 1.1): garbage there
// costs the payloads, not the call.
TEST(TextOutput, DamagedPayloadItemsKeepTheCall) {
  auto b = standard_capture();
  std::vector<uint8_t> rec(32 + 8, 0xee);
  etrace_sys_exit r{};
  r.h.type = ETRACE_REC_SYS_EXIT;
  r.h.size = static_cast<uint16_t>(rec.size());
  r.h.nr = kRead;
  r.h.ts_ns = 1000;
  r.h.tgid = r.h.tid = 100;
  r.ret = 7;
  std::memcpy(rec.data(), &r, sizeof(r));
  b.raw_record(rec);
  EXPECT_EQ(decode_text(b), "<... read resumed>) = 7\n");
}

// JSON Lines.

// 64-bit numbers (times, results) are decimal strings; a path the capture
// did not copy is null, as a path whatever it holds; the directory is a
// descriptor, symbolic.
TEST(JsonOutput, CompletedCall) {
  auto b = standard_capture();
  b.task(500, 100, 100, 1, "ls");
  b.enter(1000, 100, 100, kOpenat, {kAtFdcwd, kPath, 0x80000, 0, 0, 0});
  b.exit(2234, 100, 100, kOpenat, 3);
  EXPECT_EQ(decode_json(b),
            "{\"kind\":\"syscall\",\"ts\":\"2026-11-22T03:00:00.000001000Z\",\"ts_ns\":\"1795316400000001000\","
            "\"pid\":100,\"tid\":100,\"comm\":\"ls\",\"syscall\":\"openat\",\"nr\":257,"
            "\"args\":{\"dfd\":{\"value\":-100,\"text\":\"AT_FDCWD\"},\"filename\":null,"
            "\"flags\":{\"value\":524288,\"text\":\"O_RDONLY|O_CLOEXEC\"}},"
            "\"ret\":\"3\",\"errno\":null,\"duration_ns\":\"1234\"}\n");
}

TEST(JsonOutput, ErrorAndNullPointer) {
  auto b = standard_capture();
  b.task(500, 100, 100, 1, "ls");
  b.enter(1000, 100, 100, kOpenat, {kAtFdcwd, 0, 0, 0, 0, 0});
  b.exit(1500, 100, 100, kOpenat, -2);
  EXPECT_EQ(decode_json(b),
            "{\"kind\":\"syscall\",\"ts\":\"2026-11-22T03:00:00.000001000Z\",\"ts_ns\":\"1795316400000001000\","
            "\"pid\":100,\"tid\":100,\"comm\":\"ls\",\"syscall\":\"openat\",\"nr\":257,"
            "\"args\":{\"dfd\":{\"value\":-100,\"text\":\"AT_FDCWD\"},\"filename\":null,"
            "\"flags\":{\"value\":0,\"text\":\"O_RDONLY\"}},"
            "\"ret\":\"-2\",\"errno\":\"ENOENT\",\"duration_ns\":\"500\"}\n");
}

// mmap's format declares every argument unsigned long: 64-bit, decimal
// strings; its fd is a descriptor (an int), its offset hex.
TEST(JsonOutput, MmapReturnIsADecimalStringAndItsFdADescriptor) {
  auto b = standard_capture();
  b.task(0, 100, 100, 1, "a");
  b.enter(1000, 100, 100, kMmap, {0, 4096, 3, 0x22, 0xffffffffffffffffull, 0});
  b.exit(2000, 100, 100, kMmap, 0x7f1234560000);
  EXPECT_EQ(decode_json(b),
            "{\"kind\":\"syscall\",\"ts\":\"2026-11-22T03:00:00.000001000Z\",\"ts_ns\":\"1795316400000001000\","
            "\"pid\":100,\"tid\":100,\"comm\":\"a\",\"syscall\":\"mmap\",\"nr\":9,"
            "\"args\":{\"addr\":\"0x0\",\"len\":\"4096\",\"prot\":{\"value\":\"3\",\"text\":\"PROT_READ|PROT_WRITE\"},"
            "\"flags\":{\"value\":\"34\",\"text\":\"MAP_PRIVATE|MAP_ANONYMOUS\"},"
            "\"fd\":{\"value\":-1,\"text\":\"-1\"},\"off\":\"0x0\"},"
            "\"ret\":\"139716164190208\",\"errno\":null,\"duration_ns\":\"1000\"}\n");
}

TEST(JsonOutput, LargeUnsignedStaysExact) {
  auto b = standard_capture();
  b.enter(1000, 100, 100, kRead, {3, kBuf, 0xffffffffffffffffull, 0, 0, 0});
  b.exit(2000, 100, 100, kRead, -14);
  const std::string line = decode_json(b);
  EXPECT_NE(line.find("\"count\":\"18446744073709551615\""), std::string::npos) << line;
}

TEST(JsonOutput, UnfinishedAndNeverReturned) {
  auto b = standard_capture();
  b.task(0, 100, 100, 1, "a");
  b.task(0, 100, 101, 1, "a");
  b.enter(1000, 100, 101, kRead, {0, kBuf, 10, 0, 0, 0});
  b.enter(2000, 100, 100, kExitGroup, {1, 0, 0, 0, 0, 0});
  b.task_exit(3000, 100, 100, 1 << 8, true);
  EXPECT_EQ(decode_json(b),
            "{\"kind\":\"syscall\",\"ts\":\"2026-11-22T03:00:00.000002000Z\",\"ts_ns\":\"1795316400000002000\","
            "\"pid\":100,\"tid\":100,\"comm\":\"a\",\"syscall\":\"exit_group\",\"nr\":231,"
            "\"args\":{\"error_code\":1},\"ret\":null,\"errno\":null,\"duration_ns\":null,\"unfinished\":true}\n"
            "{\"kind\":\"process\",\"event\":\"exit\",\"ts\":\"2026-11-22T03:00:00.000003000Z\","
            "\"ts_ns\":\"1795316400000003000\",\"pid\":100,\"tid\":100,\"comm\":\"a\",\"status\":256,\"exit_code\":1}\n"
            "{\"kind\":\"syscall\",\"ts\":\"2026-11-22T03:00:00.000001000Z\",\"ts_ns\":\"1795316400000001000\","
            "\"pid\":100,\"tid\":101,\"comm\":\"a\",\"syscall\":\"read\",\"nr\":0,"
            "\"args\":{\"fd\":{\"value\":0,\"text\":\"0\"},\"buf\":null,\"count\":\"10\"},\"ret\":null,\"errno\":null,"
            "\"duration_ns\":null,\"unfinished\":true}\n");
}

TEST(JsonOutput, ExitWithoutEnterHasNullArgsAndTheExitsTime) {
  auto b = standard_capture();
  b.exit(5000, 100, 100, kRead, 5);
  EXPECT_EQ(decode_json(b),
            "{\"kind\":\"syscall\",\"ts\":\"2026-11-22T03:00:00.000005000Z\",\"ts_ns\":\"1795316400000005000\","
            "\"pid\":100,\"tid\":100,\"comm\":null,\"syscall\":\"read\",\"nr\":0,\"args\":null,"
            "\"ret\":\"5\",\"errno\":null,\"duration_ns\":null}\n");
}

TEST(JsonOutput, ProcessEvents) {
  auto b = standard_capture();
  b.task(0, 300, 300, 1, "sh");
  b.fork(1000, 300, 300, 301, 301);
  b.exec(2000, 301, 301, 301, "ls");
  b.task_exit(3000, 301, 302, 0, false);
  b.task_exit(4000, 301, 301, 15, true);
  b.task_exit(5000, 300, 300, 6 | 0x80, true);
  const std::string t = "2026-11-22T03:00:00.00000";
  EXPECT_EQ(decode_json(b),
            "{\"kind\":\"process\",\"event\":\"fork\",\"ts\":\"" + t + "1000Z\",\"ts_ns\":\"1795316400000001000\","
            "\"pid\":300,\"tid\":300,\"comm\":\"sh\",\"child_pid\":301,\"child_tid\":301}\n"
            "{\"kind\":\"process\",\"event\":\"exec\",\"ts\":\"" + t + "2000Z\",\"ts_ns\":\"1795316400000002000\","
            "\"pid\":301,\"tid\":301,\"comm\":\"ls\",\"old_tid\":301}\n"
            "{\"kind\":\"process\",\"event\":\"thread_exit\",\"ts\":\"" + t + "3000Z\",\"ts_ns\":\"1795316400000003000\","
            "\"pid\":301,\"tid\":302,\"comm\":null,\"status\":0,\"exit_code\":0}\n"
            "{\"kind\":\"process\",\"event\":\"exit\",\"ts\":\"" + t + "4000Z\",\"ts_ns\":\"1795316400000004000\","
            "\"pid\":301,\"tid\":301,\"comm\":\"ls\",\"status\":15,\"signal\":\"SIGTERM\",\"core_dumped\":false}\n"
            "{\"kind\":\"process\",\"event\":\"exit\",\"ts\":\"" + t + "5000Z\",\"ts_ns\":\"1795316400000005000\","
            "\"pid\":300,\"tid\":300,\"comm\":\"sh\",\"status\":134,\"signal\":\"SIGABRT\",\"core_dumped\":true}\n");
}

TEST(JsonOutput, MissingFormatArgsAreNamedRegisters) {
  CaptureBuilder b;
  b.syscall(kKill, "kill", false);
  b.enter(1000, 100, 100, kKill, {0x64, 9, 0, 0, 0, 0});
  b.exit(2000, 100, 100, kKill, 0);
  const std::string line = decode_json(b);
  // kill has no format file here: names are the registers', kinds the
  // semantics table's; a register of unknown type is 64 bits wide.
  EXPECT_NE(line.find("\"args\":{\"arg0\":\"100\",\"arg1\":{\"value\":9,\"text\":\"SIGKILL\"}}"),
            std::string::npos)
      << line;
}

TEST(JsonOutput, NonUtf8CommIsReplacedNotFatal) {
  auto b = standard_capture();
  b.task(0, 100, 100, 1, std::string("a\xff") + "b");
  b.enter(1000, 100, 100, kBrk, {0, 0, 0, 0, 0, 0});
  b.exit(2000, 100, 100, kBrk, 0x1000);
  const std::string line = decode_json(b);
  EXPECT_NE(line.find("\"comm\":\"a\xEF\xBF\xBD" "b\""), std::string::npos) << line;
}

// Statistics.

TEST(StatsOutput, TableSortedByTimeWithTotalsAndLoss) {
  auto b = standard_capture();
  // read: 2 calls of 100 and 200 ns, 1 error; write: 1 call of 1 µs;
  // exit_group: never returns. Below 256 ns the histogram is exact, and
  // a single call's percentiles are its own duration.
  b.task(0, 100, 100, 1, "app");
  b.enter(0, 100, 100, kRead, {0, kBuf, 1, 0, 0, 0});
  b.exit(100, 100, 100, kRead, 1);
  b.enter(200, 100, 100, kRead, {0, kBuf, 1, 0, 0, 0});
  b.exit(400, 100, 100, kRead, -11);
  b.enter(500, 100, 100, kWrite, {1, kBuf, 1, 0, 0, 0});
  b.exit(1'500, 100, 100, kWrite, 1);
  b.enter(1'600, 100, 100, kExitGroup, {0, 0, 0, 0, 0, 0});
  b.task_exit(1'700, 100, 100, 0, true);
  b.stats.syscalls[kRead] = {4, 2};
  b.stats.syscalls[kWrite] = {2, 0};
  b.stats.process_records = {3, 1};
  b.capture.start_ns = 1'000'000'000;
  b.stats.end_ns = 3'000'000'000;  // 2 s: 5 records/s, 2 calls/s
  std::string warnings;
  EXPECT_EQ(decode(b.build(), Mode::kStats, {}, {}, &warnings),
            "% time     seconds  usecs/call     calls    errors   p50 usecs   p99 usecs   max usecs syscall\n"
            "------ ----------- ----------- --------- --------- ----------- ----------- ----------- ----------------\n"
            " 76.92    0.000001       1.000         1                 1.000       1.000       1.000 write\n"
            " 23.08    0.000000       0.150         2         1       0.100       0.200       0.200 read\n"
            "  0.00    0.000000           -         1                     -           -           - exit_group\n"
            "------ ----------- ----------- --------- --------- ----------- ----------- ----------- ----------------\n"
            "100.00    0.000001       0.433         4         1       0.200       1.000       1.000 total\n"
            "(1 call has no latency: never returned (exit_group), still running when the capture stopped, or begun "
            "before it; counted in calls and errors, not in time)\n"
            "\n"
            "     pid comm                 calls    errors     seconds\n"
            "     100 app                      4         1    0.000001\n"
            "\n"
            "errno                count syscalls\n"
            "EAGAIN                   1 read 1\n"
            "\n"
            "capture: 9 records written, 3 lost (the ring buffer was full; some calls are missing or unpaired)\n"
            "\n"
            "     lost syscall\n"
            "        2 read\n"
            "        1 (process events)\n"
            "\n"
            "duration: 2.000000 s (capture start to stop); 5 records/s, 2 calls/s\n");
  EXPECT_EQ(warnings, "");
}

TEST(StatsOutput, WarnsWhenThereIsNoTrailer) {
  auto b = standard_capture();
  b.enter(0, 100, 100, kRead, {0, kBuf, 1, 0, 0, 0});
  b.exit(1000, 100, 100, kRead, 1);
  std::string warnings;
  std::string out = decode(b.build(false), Mode::kStats, {}, {}, &warnings);
  EXPECT_NE(out.find("100.00    0.000001       1.000         1                 1.000       1.000       1.000 total\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("capture:"), std::string::npos);
  // Without the capture's stop, the duration is the span of the events.
  EXPECT_NE(out.find("\nduration: 0.000001 s (first event to last); 1000000 calls/s\n"), std::string::npos) << out;
  EXPECT_NE(warnings.find("no statistics trailer"), std::string::npos) << warnings;
}
