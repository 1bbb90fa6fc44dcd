#include "decode/render/per_task_files.h"

#include <cstring>
#include <utility>

#include "decode/render/fd_output_buffer.h"

namespace etrace::decode {

PerTaskFiles::PerTaskFiles(std::string prefix, RendererFor renderer_for, size_t spill_bytes)
    : prefix_(std::move(prefix)), renderer_for_(std::move(renderer_for)), spill_bytes_(spill_bytes) {}

PerTaskFiles::Task& PerTaskFiles::seen(HostRef host, uint32_t tid) {
  auto [it, added] = tasks_.try_emplace(TaskKey{host ? *host : "", tid});
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
  render(seen(call.host, call.tid), [&](Output& out) { out.call(call); });
}

void PerTaskFiles::process(const DecodedProcessEvent& event) {
  Task& task = seen(event.host, event.tid);
  render(task, [&](Output& out) { out.process(event); });
  if (event.kind == ProcessEventKind::kExit || event.kind == ProcessEventKind::kThreadExit)
    task.ended_ns = event.wall_ns;
}

void PerTaskFiles::signal(const DecodedSignal& signal) {
  render(seen(signal.host, signal.tid), [&](Output& out) { out.signal(signal); });
}

void PerTaskFiles::loss(const DecodedLoss& loss) {
  const std::string host = loss.host ? *loss.host : "";
  for (auto& [key, task] : tasks_)
    if (key.first == host && (!task.ended_ns || *task.ended_ns >= loss.first_wall_ns))
      render(task, [&](Output& out) { out.loss(loss); });
}

void PerTaskFiles::finish() {
  for (auto& [key, task] : tasks_) task.renderer->finish();
  spill();
}

void PerTaskFiles::spill() {
  for (auto& [key, task] : tasks_) write_out(key, task);
  waiting_ = 0;
}

void PerTaskFiles::write_out(const TaskKey& key, Task& task) {
  if (!error_ && !task.waiting.view().empty())
    if (auto appended = append(key, task); !appended) error_ = appended.error();
  task.waiting.str({});
}

Result<void> PerTaskFiles::append(const TaskKey& key, Task& task) {
  if (!task.file) {
    const auto& [host, tid] = key;
    const std::string name = prefix_ + (host.empty() ? "" : "." + host) + "." + std::to_string(tid);
    auto made = common::PrivateFile::create(name, common::PrivateFile::Target::kDerived);
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
  for (auto& [key, task] : tasks_) {
    if (!error_ && task.file)
      if (auto committed = task.file->commit(); !committed) error_ = committed.error();
    task.file.reset();  // its descriptor, and the file itself unless in place
  }
  if (error_) return *error_;
  return {};
}

}  // namespace etrace::decode
