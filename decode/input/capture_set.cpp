#include "decode/input/capture_set.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace etrace::decode {

namespace {

bool exists(const std::string& name) {
  struct stat st {};
  return stat(name.c_str(), &st) == 0;
}

// FILE.N for every N on disk, by N (a rotated capture with --rotate-count
// removed the oldest, so the set need not start at 0).
std::vector<std::string> rotated_files(const std::string& base) {
  std::vector<std::pair<uint64_t, std::string>> found;
  const std::filesystem::path path(base);
  const std::string dir = path.has_parent_path() ? path.parent_path().string() : ".";
  const std::string prefix = path.filename().string() + ".";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string index = name.substr(prefix.size());
    if (index.empty() || index.size() > 18 || !std::all_of(index.begin(), index.end(), ::isdigit)) continue;
    found.emplace_back(std::stoull(index), (path.has_parent_path() ? dir + "/" : "") + name);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [index, name] : found) out.push_back(std::move(name));
  return out;
}

// Every file of a rotated capture repeats its capture block.
bool same_capture(const std::optional<format::CaptureInfo>& a, const std::optional<format::CaptureInfo>& b) {
  return a && b && a->start_ns == b->start_ns && a->realtime_offset_ns == b->realtime_offset_ns && a->argv == b->argv;
}

}  // namespace

std::vector<std::string> expand_rotated(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& name : names) {
    auto rotated = name != "-" && !exists(name) ? rotated_files(name) : std::vector<std::string>{};
    if (rotated.empty()) out.push_back(name);
    out.insert(out.end(), rotated.begin(), rotated.end());
  }
  return out;
}

Result<CaptureSet::Open> CaptureSet::open_one(const std::string& name) {
  Open o;
  std::istream* in = &std::cin;
  if (name != "-") {
    // A directory opens, and reads as nothing at all.
    if (std::error_code ec; std::filesystem::is_directory(name, ec))
      return Error{"cannot read " + name + ": it is a directory"};
    o.stream = std::make_unique<std::ifstream>(name, std::ios::binary);
    if (!*o.stream) return Error{"cannot open " + name + ": " + std::strerror(errno)};
    in = o.stream.get();
  }
  o.capture = std::make_unique<CaptureFile>(*in);
  const std::string shown = name == "-" ? "standard input" : name;
  if (auto opened = o.capture->open(); !opened) return Error{shown + ": " + opened.error().message};
  return o;
}

Result<CaptureSet> CaptureSet::open(std::vector<std::string> names) {
  if (names.size() > 1 && std::count(names.begin(), names.end(), "-"))
    return Error{"standard input ('-') is read alone, not with other files"};
  CaptureSet set;
  set.names_ = std::move(names);
  auto first = open_one(set.names_.front());
  if (!first) return first.error();
  set.file_ = std::make_unique<Open>(std::move(*first));
  set.first_info_ = set.file_->capture->capture();
  return set;
}

Result<void> CaptureSet::next() {
  auto opened = open_one(names_[index_ + 1]);
  if (!opened) return opened.error();
  if (!same_capture(opened->capture->capture(), first_info_))
    return Error{names_[index_ + 1] + " is not a file of the same capture as " + names_.front() +
                 " (files of one rotated capture share their start and command line); decode separate captures "
                 "one by one"};
  ++index_;
  file_ = std::make_unique<Open>(std::move(*opened));
  return {};
}

Result<std::vector<std::vector<std::string>>> group_by_capture(const std::vector<std::string>& names) {
  if (names.size() < 2 || std::count(names.begin(), names.end(), "-"))
    return std::vector<std::vector<std::string>>{names};
  std::vector<std::vector<std::string>> groups;
  std::vector<std::optional<format::CaptureInfo>> infos;
  for (const auto& name : names) {
    auto opened = CaptureSet::open_one(name);
    if (!opened) return opened.error();
    const auto& info = opened->capture->capture();
    size_t group = 0;
    while (group < groups.size() && !same_capture(info, infos[group])) ++group;
    if (group == groups.size()) {
      groups.emplace_back();
      infos.push_back(info);
    }
    groups[group].push_back(name);
  }
  return groups;
}

}  // namespace etrace::decode
