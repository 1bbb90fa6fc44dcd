#include "decode/descriptors/descriptor_table.h"

namespace etrace::decode {

void FdTable::install(int32_t fd, std::shared_ptr<OpenFile> file, bool cloexec) {
  if (fd < 0) return;
  fds_[fd] = Entry{std::move(file), cloexec};
}

bool FdTable::duplicate(int32_t from, int32_t to, bool cloexec) {
  auto it = fds_.find(from);
  if (it == fds_.end()) {
    close(to);
    return false;
  }
  if (from != to) install(to, it->second.file, cloexec);
  return true;
}

void FdTable::close(int32_t fd) { fds_.erase(fd); }

void FdTable::close_range(uint32_t first, uint32_t last) {
  if (first > static_cast<uint32_t>(INT32_MAX)) return;
  auto begin = fds_.lower_bound(static_cast<int32_t>(first));
  auto end = last >= static_cast<uint32_t>(INT32_MAX) ? fds_.end() : fds_.upper_bound(static_cast<int32_t>(last));
  fds_.erase(begin, end);
}

void FdTable::set_cloexec(int32_t fd, bool cloexec) {
  if (auto it = fds_.find(fd); it != fds_.end()) it->second.cloexec = cloexec;
}

void FdTable::set_cloexec_range(uint32_t first, uint32_t last) {
  for (auto& [fd, entry] : fds_)
    if (static_cast<uint32_t>(fd) >= first && static_cast<uint32_t>(fd) <= last) entry.cloexec = true;
}

void FdTable::close_on_exec() { std::erase_if(fds_, [](const auto& kv) { return kv.second.cloexec; }); }

const OpenFile* FdTable::find(int32_t fd) const {
  auto it = fds_.find(fd);
  return it == fds_.end() ? nullptr : it->second.file.get();
}

OpenFile* FdTable::find(int32_t fd) {
  auto it = fds_.find(fd);
  return it == fds_.end() ? nullptr : it->second.file.get();
}

bool FdTable::cloexec(int32_t fd) const {
  auto it = fds_.find(fd);
  return it != fds_.end() && it->second.cloexec;
}

DescriptorTables::Process& DescriptorTables::process(uint32_t tgid) { return processes_[tgid]; }

FdTable& DescriptorTables::table(uint32_t tgid) { return *process(tgid).files; }

const FdTable* DescriptorTables::find(uint32_t tgid) const {
  auto it = processes_.find(tgid);
  return it == processes_.end() ? nullptr : it->second.files.get();
}

void DescriptorTables::fork(uint32_t parent_tgid, uint32_t child_tgid, bool share_files) {
  if (parent_tgid == child_tgid) return;  // a thread: it shares everything already
  Process& parent = process(parent_tgid);
  Process child;
  child.files = share_files ? parent.files : std::make_shared<FdTable>(*parent.files);
  child.cwd = parent.cwd;
  // A reused pid's old table goes.
  processes_.insert_or_assign(child_tgid, std::move(child));
}

void DescriptorTables::own_table(Process& p) {
  if (p.files.use_count() > 1) p.files = std::make_shared<FdTable>(*p.files);
}

void DescriptorTables::exec(uint32_t tgid) {
  Process& p = process(tgid);
  own_table(p);
  p.files->close_on_exec();
}

void DescriptorTables::unshare_files(uint32_t tgid) { own_table(process(tgid)); }

void DescriptorTables::exit(uint32_t tgid) { processes_.erase(tgid); }

const std::string& DescriptorTables::cwd(uint32_t tgid) const {
  static const std::string unknown;
  auto it = processes_.find(tgid);
  return it == processes_.end() ? unknown : it->second.cwd;
}

void DescriptorTables::set_cwd(uint32_t tgid, std::string cwd) { process(tgid).cwd = std::move(cwd); }

}  // namespace etrace::decode
