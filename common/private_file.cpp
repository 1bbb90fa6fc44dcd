#include "common/private_file.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <utility>

namespace etrace::common {

namespace {

// "dir/name" -> {"dir", "name"}; "name" -> {".", "name"}; "/name" -> {"/", "name"}.
std::pair<std::string, std::string> split(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// ".NAME.XXXXXXXXXX" with ten random characters: hidden, beside the target,
// and not guessable ahead of time (O_EXCL makes a guess harmless anyway).
std::string temp_name(const std::string& base) {
  static constexpr char kDigits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[10];
  if (getrandom(bytes, sizeof(bytes), GRND_NONBLOCK) != static_cast<ssize_t>(sizeof(bytes))) {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t x = static_cast<uint64_t>(ts.tv_nsec) * 0x9e3779b97f4a7c15ull ^ static_cast<uint64_t>(getpid());
    for (auto& b : bytes) b = static_cast<unsigned char>(x >>= 5);
  }
  std::string name = "." + base.substr(0, 200) + ".";
  for (unsigned char b : bytes) name += kDigits[b % (sizeof(kDigits) - 1)];
  return name;
}

std::string describe(const struct stat& st) {
  if (S_ISLNK(st.st_mode)) return "a symbolic link";
  if (S_ISDIR(st.st_mode)) return "a directory";
  if (S_ISBLK(st.st_mode)) return "a block device";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

Result<PrivateFile> PrivateFile::create(const std::string& path, Target target) {
  PrivateFile f;
  f.path_ = path;
  f.target_ = target;
  std::tie(f.dir_, f.base_) = split(path);
  if (f.base_.empty() || f.base_ == "." || f.base_ == "..")
    return Error{"cannot write to " + path + ": it names a directory"};
  if (auto opened = f.open_dir("create"); !opened) return opened.error();

  struct stat st;
  if (fstatat(f.dir_fd_, f.base_.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    const bool device = S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode);
    if (S_ISDIR(st.st_mode)) return Error{"cannot write to " + path + ": it is a directory"};
    if (target == Target::kNew) return Error{"cannot create " + path + ": it already exists"};
    if (target == Target::kUserNamed && S_ISLNK(st.st_mode))
      return Error{"refusing to write to " + path +
                   ": it is a symbolic link, and etrace writes no file through one (name the file itself)"};
    if (target == Target::kUserNamed && device) {
      // Written as it is. O_NOFOLLOW and the second look keep a link or a
      // regular file swapped in meanwhile from being opened instead.
      f.fd_ = openat(f.dir_fd_, f.base_.c_str(), O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
      if (f.fd_ < 0) return Error{"cannot open " + path + ": " + std::strerror(errno)};
      if (fstat(f.fd_, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)))
        return Error{"refusing to write to " + path + ": it changed while being opened"};
      f.regular_ = false;
      return f;
    }
    if (target == Target::kUserNamed && !S_ISREG(st.st_mode))
      return Error{"refusing to write to " + path + ": it is " + describe(st)};
  } else if (errno != ENOENT) {
    return Error{"cannot create " + path + ": " + std::strerror(errno)};
  }

  for (int attempt = 0; attempt < 100 && f.fd_ < 0; ++attempt) {
    f.temp_ = temp_name(f.base_);
    f.fd_ = openat(f.dir_fd_, f.temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (f.fd_ < 0 && errno != EEXIST) break;
  }
  if (f.fd_ < 0) {
    const std::string why = std::strerror(errno);
    f.temp_.clear();  // no file of ours to remove
    return Error{"cannot create " + path + ": " + why};
  }
  f.file_id_ = identity(f.fd_);
  return f;
}

PrivateFile::Identity PrivateFile::identity(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return {};
  return {st.st_dev, st.st_ino};
}

Result<void> PrivateFile::open_dir(const char* doing) {
  if (dir_fd_ >= 0) return {};
  dir_fd_ = ::open(dir_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) return Error{std::string("cannot ") + doing + " " + path_ + ": " + std::strerror(errno)};
  const Identity opened = identity(dir_fd_);
  if (dir_id_ != Identity{} && opened != dir_id_) {
    ::close(std::exchange(dir_fd_, -1));
    return Error{"refusing to write to " + path_ + ": its directory was replaced while the file was closed"};
  }
  dir_id_ = opened;
  return {};
}

PrivateFile::PrivateFile(PrivateFile&& other) noexcept { *this = std::move(other); }

PrivateFile& PrivateFile::operator=(PrivateFile&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    dir_fd_ = std::exchange(other.dir_fd_, -1);
    path_ = std::move(other.path_);
    dir_ = std::move(other.dir_);
    dir_id_ = other.dir_id_;
    file_id_ = other.file_id_;
    base_ = std::move(other.base_);
    temp_ = std::exchange(other.temp_, std::string());
    target_ = other.target_;
    regular_ = other.regular_;
  }
  return *this;
}

PrivateFile::~PrivateFile() { close(); }

Result<void> PrivateFile::commit() {
  if (temp_.empty()) return {};
  if (auto opened = open_dir("reopen the directory of"); !opened) return opened;
  int rc;
  if (target_ == Target::kNew) {
    rc = renameat2(dir_fd_, temp_.c_str(), dir_fd_, base_.c_str(), RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
      // A file system without RENAME_NOREPLACE: a hard link fails just the same on an existing name.
      rc = linkat(dir_fd_, temp_.c_str(), dir_fd_, base_.c_str(), 0);
      if (rc == 0) unlinkat(dir_fd_, temp_.c_str(), 0);
    }
  } else {
    rc = renameat(dir_fd_, temp_.c_str(), dir_fd_, base_.c_str());
  }
  if (rc != 0) {
    const int e = errno;
    std::string error = "cannot put " + path_ + " in place: " + std::strerror(e);
    struct stat dir, old;
    if (e == EPERM && fstat(dir_fd_, &dir) == 0 && (dir.st_mode & S_ISVTX) &&
        fstatat(dir_fd_, base_.c_str(), &old, AT_SYMLINK_NOFOLLOW) == 0 && old.st_uid != geteuid())
      error += " (a file of uid " + std::to_string(old.st_uid) + " is there, in a directory where only its owner may replace it)";
    return Error{error};
  }
  temp_.clear();
  return {};
}

void PrivateFile::close() {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  // A parked file's directory is opened again, to remove the file.
  if (!temp_.empty() && open_dir("reopen the directory of")) unlinkat(dir_fd_, temp_.c_str(), 0);
  temp_.clear();
  if (dir_fd_ >= 0) ::close(std::exchange(dir_fd_, -1));
}

void PrivateFile::park() {
  if (temp_.empty()) return;  // a device, or committed: stays open
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  if (dir_fd_ >= 0) ::close(std::exchange(dir_fd_, -1));
}

Result<void> PrivateFile::resume() {
  if (fd_ >= 0) return {};
  if (auto opened = open_dir("reopen the directory of"); !opened) return opened;
  // O_NONBLOCK: a FIFO swapped in must not hold up the open (the check refuses it).
  fd_ = openat(dir_fd_, temp_.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  const int error = fd_ < 0 ? errno : 0;
  if (fd_ >= 0 && identity(fd_) == file_id_) return {};
  park();
  if (error) return Error{"cannot reopen " + path_ + ": " + std::strerror(error)};
  return Error{"refusing to write to " + path_ + ": it was replaced while it was closed"};
}

}  // namespace etrace::common
