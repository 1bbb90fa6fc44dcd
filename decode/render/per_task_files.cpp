#include "decode/render/per_task_files.h"

#include <cstring>
#include <utility>

#include "decode/render/fd_output_buffer.h"

namespace etrace::decode {

PerTaskFiles::PerTaskFiles(std::string prefix, RendererFor renderer_for, size_t spill_bytes)
    : prefix_(std::move(prefix)), renderer_for_(std::move(renderer_for)), spill_bytes_(spill_bytes) {}

PerTaskFiles::Task& PerTaskFiles::seen(uint32_t tid) {
  auto [it, added] = tasks_.try_emplace(tid);
  Task& task = it->second;
  if (added) task.renderer = renderer_for_(task.waiting);
  task.ended_ns.reset();
  return task;
}

template <typename Show>
void PerTaskFiles::render(Task& task, Show&& show) {
  const size_t before = task.waiting.view().size();
  show(*task.renderer);
  waiting_ += task.waiting.view().size() - before;
  if (waiting_ >= spill_bytes_) spill();
}

void PerTaskFiles::call(const DecodedCall& call) {
  render(seen(call.tid), [&](Output& out) { out.call(call); });
}

void PerTaskFiles::process(const DecodedProcessEvent& event) {
  Task& task = seen(event.tid);
  render(task, [&](Output& out) { out.process(event); });
  if (event.kind == ProcessEventKind::kExit || event.kind == ProcessEventKind::kThreadExit)
    task.ended_ns = event.wall_ns;
}

void PerTaskFiles::signal(const DecodedSignal& signal) {
  render(seen(signal.tid), [&](Output& out) { out.signal(signal); });
}

void PerTaskFiles::loss(const DecodedLoss& loss) {
  for (auto& [tid, task] : tasks_)
    if (!task.ended_ns || *task.ended_ns >= loss.first_wall_ns) render(task, [&](Output& out) { out.loss(loss); });
}

void PerTaskFiles::finish() {
  for (auto& [tid, task] : tasks_) task.renderer->finish();
  spill();
}

void PerTaskFiles::spill() {
  for (auto& [tid, task] : tasks_) write_out(tid, task);
  waiting_ = 0;
}

void PerTaskFiles::write_out(uint32_t tid, Task& task) {
  if (!error_ && !task.waiting.view().empty())
    if (auto appended = append(tid, task); !appended) error_ = appended.error();
  task.waiting.str({});
}

Result<void> PerTaskFiles::append(uint32_t tid, Task& task) {
  if (!task.file) {
    auto made = common::PrivateFile::create(prefix_ + "." + std::to_string(tid), common::PrivateFile::Target::kDerived);
    if (!made) return made.error();
    task.file.emplace(std::move(*made));
  } else if (auto resumed = task.file->resume(); !resumed) {
    return resumed;
  }
  const int error = write_fully(task.file->fd(), task.waiting.view());
  task.file->park();
  if (error) return Error{"cannot write " + task.file->path() + ": " + std::strerror(error)};
  return {};
}

Result<void> PerTaskFiles::close() {
  for (auto& [tid, task] : tasks_) {
    if (!error_ && task.file)
      if (auto committed = task.file->commit(); !committed) error_ = committed.error();
    task.file.reset();  // its descriptor, and the file itself unless in place
  }
  if (error_) return *error_;
  return {};
}

}  // namespace etrace::decode
