// The tracefs format parser, on format files copied verbatim from a running
// kernel (tests/fixtures/tracefs) and on variants embedded inline.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "capture_builder.h"
#include "decode/input/tracepoint_format.h"

using etrace::decode::parse_tracepoint_format;
using etrace::decode::syscall_arguments;
using etrace::test::fixture;

namespace {

std::vector<std::string> names_of(const std::vector<etrace::decode::FieldFormat>& fields) {
  std::vector<std::string> out;
  for (const auto& f : fields) out.push_back(f.name);
  return out;
}

}  // namespace

TEST(TracepointFormat, OpenatEnter) {
  auto tf = parse_tracepoint_format(fixture("sys_enter_openat.format"));
  ASSERT_TRUE(tf) << tf.error().message;
  EXPECT_EQ(tf->name, "sys_enter_openat");
  EXPECT_EQ(tf->id, 782u);
  EXPECT_EQ(names_of(tf->common_fields),
            (std::vector<std::string>{"common_type", "common_flags", "common_preempt_count", "common_pid"}));
  EXPECT_EQ(names_of(tf->fields), (std::vector<std::string>{"__syscall_nr", "dfd", "filename", "flags", "mode"}));
  const auto* filename = tf->field("filename");
  ASSERT_NE(filename, nullptr);
  EXPECT_EQ(filename->type, "const char *");
  EXPECT_EQ(filename->offset, 24u);
  EXPECT_EQ(filename->size, 8u);
  EXPECT_FALSE(filename->is_signed);
  EXPECT_FALSE(filename->is_array);
  const auto* pid = tf->field("common_pid");
  ASSERT_NE(pid, nullptr);
  EXPECT_EQ(pid->type, "int");
  EXPECT_EQ(pid->offset, 4u);
  EXPECT_EQ(pid->size, 4u);
  EXPECT_TRUE(pid->is_signed);
  EXPECT_EQ(tf->print_fmt.substr(0, 20), "\"dfd: 0x%08lx, filen");
  EXPECT_EQ(names_of(syscall_arguments(*tf)), (std::vector<std::string>{"dfd", "filename", "flags", "mode"}));
  EXPECT_EQ(syscall_arguments(*tf)[3].type, "umode_t");
}

TEST(TracepointFormat, OpenatExitHasSignedLongRet) {
  auto tf = parse_tracepoint_format(fixture("sys_exit_openat.format"));
  ASSERT_TRUE(tf) << tf.error().message;
  EXPECT_EQ(tf->name, "sys_exit_openat");
  const auto* ret = tf->field("ret");
  ASSERT_NE(ret, nullptr);
  EXPECT_EQ(ret->type, "long");
  EXPECT_EQ(ret->offset, 16u);
  EXPECT_TRUE(ret->is_signed);
  EXPECT_EQ(tf->print_fmt, "\"0x%lx\", REC->ret");
}

TEST(TracepointFormat, ArrayFields) {
  auto tf = parse_tracepoint_format(fixture("sched_switch.format"));
  ASSERT_TRUE(tf) << tf.error().message;
  EXPECT_EQ(names_of(tf->fields), (std::vector<std::string>{"prev_comm", "prev_pid", "prev_prio", "prev_state",
                                                            "next_comm", "next_pid", "next_prio"}));
  const auto* comm = tf->field("next_comm");
  ASSERT_NE(comm, nullptr);
  EXPECT_EQ(comm->type, "char");
  EXPECT_TRUE(comm->is_array);
  ASSERT_TRUE(comm->array_len.has_value());
  EXPECT_EQ(*comm->array_len, 16u);
  EXPECT_EQ(comm->offset, 40u);
  EXPECT_EQ(comm->size, 16u);
  EXPECT_FALSE(comm->data_loc);
  const auto* state = tf->field("prev_state");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->type, "long");
  EXPECT_TRUE(state->is_signed);
}

TEST(TracepointFormat, DataLocField) {
  auto tf = parse_tracepoint_format(fixture("sched_process_exec.format"));
  ASSERT_TRUE(tf) << tf.error().message;
  const auto* filename = tf->field("filename");
  ASSERT_NE(filename, nullptr);
  EXPECT_TRUE(filename->data_loc);
  EXPECT_TRUE(filename->is_array);
  EXPECT_FALSE(filename->array_len.has_value());
  EXPECT_EQ(filename->type, "char");
  EXPECT_EQ(filename->offset, 8u);
  EXPECT_EQ(filename->size, 4u);
  EXPECT_EQ(tf->field("old_pid")->type, "pid_t");
  EXPECT_EQ(tf->field("old_pid")->offset, 16u);
}

TEST(TracepointFormat, OddSyscallDeclarations) {
  auto robust = parse_tracepoint_format(fixture("sys_enter_get_robust_list.format"));
  ASSERT_TRUE(robust) << robust.error().message;
  auto args = syscall_arguments(*robust);
  ASSERT_EQ(args.size(), 3u);
  EXPECT_EQ(args[1].name, "head_ptr");
  EXPECT_EQ(args[1].type, "struct robust_list_head * *");

  auto landlock = parse_tracepoint_format(fixture("sys_enter_landlock_add_rule.format"));
  ASSERT_TRUE(landlock) << landlock.error().message;
  args = syscall_arguments(*landlock);
  ASSERT_EQ(args.size(), 4u);
  EXPECT_EQ(args[1].type, "const enum landlock_rule_type");
  EXPECT_EQ(args[2].type, "const void *const");
  EXPECT_EQ(args[2].name, "rule_attr");
  EXPECT_EQ(args[3].type, "const __u32");

  auto capget = parse_tracepoint_format(fixture("sys_enter_capget.format"));
  ASSERT_TRUE(capget);
  EXPECT_EQ(names_of(syscall_arguments(*capget)), (std::vector<std::string>{"header", "dataptr"}));
}

TEST(TracepointFormat, EveryFixtureParses) {
  int syscalls = 0;
  for (const auto& entry : std::filesystem::directory_iterator(ETRACE_FIXTURES_DIR)) {
    const std::string file = entry.path().filename().string();
    auto tf = parse_tracepoint_format(fixture(file));
    ASSERT_TRUE(tf) << file << ": " << tf.error().message;
    EXPECT_EQ(tf->name + ".format", file);
    EXPECT_EQ(tf->common_fields.size(), 4u) << file;
    if (file.rfind("sys_enter_", 0) == 0) {
      ++syscalls;
      ASSERT_FALSE(tf->fields.empty()) << file;
      EXPECT_EQ(tf->fields[0].name, "__syscall_nr") << file;
      EXPECT_LE(syscall_arguments(*tf).size(), 6u) << file;
    }
    if (file.rfind("sys_exit_", 0) == 0) {
      ASSERT_NE(tf->field("ret"), nullptr) << file;
      EXPECT_EQ(tf->field("ret")->type, "long") << file;
    }
  }
  EXPECT_GE(syscalls, 20);
}

// Kernels before 4.x named the syscall number field `nr`.
TEST(TracepointFormat, OlderKernelSyscallNumberField) {
  const char* text =
      "name: sys_enter_lseek\n"
      "ID: 515\n"
      "format:\n"
      "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
      "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
      "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
      "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
      "\n"
      "\tfield:int nr;\toffset:8;\tsize:4;\tsigned:1;\n"
      "\tfield:unsigned int fd;\toffset:16;\tsize:8;\tsigned:0;\n"
      "\tfield:off_t offset;\toffset:24;\tsize:8;\tsigned:0;\n"
      "\tfield:unsigned int whence;\toffset:32;\tsize:8;\tsigned:0;\n"
      "\n"
      "print fmt: \"fd: 0x%08lx, offset: 0x%08lx, whence: 0x%08lx\", ((unsigned long)(REC->fd)), "
      "((unsigned long)(REC->offset)), ((unsigned long)(REC->whence))\n";
  std::istringstream in(text);
  auto tf = parse_tracepoint_format(in);
  ASSERT_TRUE(tf) << tf.error().message;
  EXPECT_EQ(tf->id, 515u);
  EXPECT_EQ(names_of(syscall_arguments(*tf)), (std::vector<std::string>{"fd", "offset", "whence"}));
}

TEST(TracepointFormat, UnknownAttributesAreIgnored) {
  auto tf = parse_tracepoint_format(
      "name: x\nID: 1\nformat:\n\tfield:int a;\toffset:8;\tsize:4;\tsigned:1;\tfuture:7;\n");
  ASSERT_TRUE(tf) << tf.error().message;
  ASSERT_EQ(tf->fields.size(), 1u);
  EXPECT_EQ(tf->fields[0].name, "a");
}

TEST(TracepointFormat, RejectsWhatIsNotAFormatFile) {
  EXPECT_FALSE(parse_tracepoint_format(""));
  EXPECT_FALSE(parse_tracepoint_format("hello world\n"));
  auto bad = parse_tracepoint_format("name: x\nID: 1\nformat:\n\tfield:int a;\toffset:eight;\tsize:4;\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("line 4"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(parse_tracepoint_format("name: x\nformat:\n\tfield:;\toffset:8;\tsize:4;\n"));
  EXPECT_FALSE(parse_tracepoint_format("name: x\nID: one\n"));
  EXPECT_FALSE(parse_tracepoint_format("name: x\nformat:\n\tfield:int a[;\toffset:8;\tsize:4;\n"));
}
