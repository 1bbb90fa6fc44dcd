// --live: etrace-decode runs beside the capture and shows it on standard
// error as it is written. The capture writer copies every byte it writes to
// the file into a pipe that is the decoder's standard input, so the view is
// the file itself, decoded; capture still formats no text.
#pragma once

#include <sys/types.h>

#include <memory>

#include "common/result.h"

namespace etrace::capture {

class LiveView {
 public:
  // Starts etrace-decode (the one beside etrace-capture, else the one in
  // PATH) reading from a pipe. It ignores SIGINT and SIGTERM: it ends when
  // the pipe closes, after the capture's last block.
  static Result<std::unique_ptr<LiveView>> start();

  LiveView(const LiveView&) = delete;
  LiveView& operator=(const LiveView&) = delete;
  // Closes the pipe and waits for the decoder to show the rest, so what
  // is said after it does not mix into the view. Once; the destructor too.
  void finish();
  ~LiveView() { finish(); }

  pid_t pid() const { return pid_; }
  int fd() const { return fd_; }  // the pipe's write end

 private:
  LiveView(pid_t pid, int fd) : pid_(pid), fd_(fd) {}

  pid_t pid_;
  int fd_;
};

}  // namespace etrace::capture
