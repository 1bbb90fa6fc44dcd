// strace's -ff: each thread's events in a file of its own, PREFIX.TID
// (PREFIX.HOST.TID when captures of several hosts are merged), shown
// by a renderer of its own, so that a file holds its thread's calls whole
// (never <unfinished ...> for another thread's sake) and text lines need no
// [pid N].
//
// Where events go: a call, a signal or a process event to the file of the
// thread it names (a fork to the parent's; the child's file begins with its
// own events). A loss to the file of every thread alive while records were
// lost (seen, and not ended before the loss began), as it may hide any of
// their calls; a thread first seen after the loss is not told. With --json,
// each file has the context lines its events name, numbered on its own, so
// that every file reads alone.
//
// A capture may hold more threads than a process may have files open
// (10,000 where the limit is often 1024), so no file stays open: what is
// rendered waits in memory, and when `spill_bytes` wait in all, each file
// is opened, appended to and parked again (common/private_file.h). The
// files are made as that header says, as names derived from the user's
// (as a rotated capture's FILE.0, FILE.1), and put in place together at
// the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "common/private_file.h"
#include "common/result.h"
#include "decode/render/output.h"

namespace etrace::decode {

class PerTaskFiles : public Output {
 public:
  // The renderer of one thread's file, writing to `out`.
  using RendererFor = std::function<std::unique_ptr<Output>(std::ostream& out)>;
  static constexpr size_t kSpillBytes = 32 << 20;

  PerTaskFiles(std::string prefix, RendererFor renderer_for, size_t spill_bytes = kSpillBytes);

  void call(const DecodedCall& call) override;
  void process(const DecodedProcessEvent& event) override;
  void signal(const DecodedSignal& signal) override;
  void loss(const DecodedLoss& loss) override;
  void finish() override;

  // After finish(): puts every file in place. Or says the first error met:
  // after a failed write none is (what was at their names stays as it was).
  Result<void> close();

 private:
  struct Task {
    std::ostringstream waiting;  // rendered, not yet in the file
    std::unique_ptr<Output> renderer;
    std::optional<common::PrivateFile> file;  // made at its first write, parked after each
    std::optional<int64_t> ended_ns;
  };

  // A thread: its host's name (empty for one capture) and its tid.
  using TaskKey = std::pair<std::string, uint32_t>;

  // The thread's task, alive again if it had ended (its tid reused).
  Task& seen(HostRef host, uint32_t tid);
  // Has the task's renderer show an event.
  template <typename Show>
  void render(Task& task, Show&& show);
  // Appends each thread's waiting output to its file.
  void spill();
  void write_out(const TaskKey& key, Task& task);
  Result<void> append(const TaskKey& key, Task& task);

  std::string prefix_;
  RendererFor renderer_for_;
  size_t spill_bytes_;
  std::map<TaskKey, Task> tasks_;  // a node's address is stable, as its renderer needs
  size_t waiting_ = 0;
  std::optional<Error> error_;  // the first; nothing is written after it
};

}  // namespace etrace::decode
