#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "decode/values/errno_names.h"
#include "decode/values/signal_names.h"

using namespace etrace::decode;

TEST(ErrnoNames, MatchTheCLibrarysConstants) {
  // Each name is checked against the number the C library's headers give it.
  const std::pair<int, const char*> cases[] = {
      {EPERM, "EPERM"},   {ENOENT, "ENOENT"},   {EINTR, "EINTR"},     {EAGAIN, "EAGAIN"},
      {EACCES, "EACCES"}, {EEXIST, "EEXIST"},   {EINVAL, "EINVAL"},   {ENOSYS, "ENOSYS"},
      {EDEADLK, "EDEADLK"}, {ENOTSUP, "EOPNOTSUPP"}, {ETIMEDOUT, "ETIMEDOUT"}, {EHWPOISON, "EHWPOISON"},
      {EINPROGRESS, "EINPROGRESS"}, {ECONNREFUSED, "ECONNREFUSED"}, {ERANGE, "ERANGE"}, {EBADF, "EBADF"},
  };
  for (const auto& [number, name] : cases) {
    auto got = errno_name(number);
    ASSERT_TRUE(got.has_value()) << name;
    EXPECT_EQ(*got, name);
  }
}

TEST(ErrnoNames, EveryNumberUpToEHWPOISONIsNamedExceptTheGaps) {
  // Linux leaves 41 and 58 unused.
  for (int n = 1; n <= EHWPOISON; ++n) {
    if (n == 41 || n == 58) {
      EXPECT_FALSE(errno_name(n).has_value()) << n;
      continue;
    }
    EXPECT_TRUE(errno_name(n).has_value()) << n;
  }
  EXPECT_FALSE(errno_name(0).has_value());
  EXPECT_FALSE(errno_name(4000).has_value());
}

TEST(ErrnoNames, MessagesComeFromStrerror) {
  EXPECT_EQ(errno_message(ENOENT), "No such file or directory");
  EXPECT_EQ(errno_message(EACCES), std::string(std::strerror(EACCES)));
  EXPECT_FALSE(errno_is_kernel_internal(ENOENT));
}

TEST(ErrnoNames, KernelInternalCodes) {
  ASSERT_TRUE(errno_name(512).has_value());
  EXPECT_EQ(*errno_name(512), "ERESTARTSYS");
  EXPECT_EQ(*errno_name(516), "ERESTART_RESTARTBLOCK");
  EXPECT_TRUE(errno_is_kernel_internal(512));
  EXPECT_EQ(errno_message(512), "To be restarted if SA_RESTART is set");
}

TEST(ErrnoNames, ErrorRange) {
  EXPECT_TRUE(is_error_return(-1));
  EXPECT_TRUE(is_error_return(-4095));
  EXPECT_FALSE(is_error_return(-4096));
  EXPECT_FALSE(is_error_return(0));
  EXPECT_FALSE(is_error_return(3));
}

TEST(SignalNames, Names) {
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
  EXPECT_EQ(signal_name(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(SIGCHLD), "SIGCHLD");
  EXPECT_EQ(signal_name(34), "SIGRT_2");
  EXPECT_EQ(signal_name(0), "SIG0");
}
