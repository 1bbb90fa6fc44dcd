// The files etrace writes for its user (captures, rotated captures, decoded
// output) are its own: never reached through a symbolic link, never an
// existing file reused, whoever made it, always a new file of mode 0600.
//
// create() makes a new file in the target's directory under a temporary
// name (O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600, so no one else can have
// made or opened it), and commit() renames it onto the target. A file
// already at the target is replaced, not written into: it keeps its data,
// owner and mode, and so do its other names (hard links). Until commit()
// the target is untouched, and a file never committed is removed again.
//
// A target that is a FIFO or a character device (/dev/null, a named pipe) is
// opened and written as it is: nothing is created, nothing replaced.
//
// A program that writes more files at once than it may hold open
// (etrace-decode -ff, a file per thread) parks them between writes: park()
// closes the descriptors and keeps the file, resume() opens it again to
// write on at its end, once sure that its directory and the file are still
// the ones created (anything swapped in meanwhile is refused, not written).
//
// No dependency beyond the C and C++ libraries: etrace-capture and
// etrace-decode both use it.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.h"

namespace etrace::common {

class PrivateFile {
 public:
  // What may already be at the target.
  enum class Target {
    // A name the program chose (a timestamped capture): nothing may be
    // there, and commit() refuses to replace what appeared since.
    kNew,
    // A name the user gave: a regular file there is replaced; a FIFO or a
    // character device is written as it is; a symbolic link, a directory
    // or anything else is refused.
    kUserNamed,
    // A name derived from the user's (rotated captures FILE.0, FILE.1,
    // ...): whatever is there is replaced (a symbolic link too, never
    // followed), but a directory.
    kDerived,
  };

  static Result<PrivateFile> create(const std::string& path, Target target);

  PrivateFile(PrivateFile&& other) noexcept;
  PrivateFile& operator=(PrivateFile&& other) noexcept;
  PrivateFile(const PrivateFile&) = delete;
  PrivateFile& operator=(const PrivateFile&) = delete;
  // Closes the descriptor; removes the file when it was never committed.
  ~PrivateFile();

  // Open for writing, close-on-exec; owned by this object. -1 while parked.
  int fd() const { return fd_; }
  // The target, as given.
  const std::string& path() const { return path_; }
  // False for a FIFO or character device written in place (then it cannot
  // be truncated, preallocated or sought in).
  bool is_regular() const { return regular_; }

  // Puts the file at its target, from where it stays (closing it later
  // does not remove it). Call it once the file should be seen: at once for
  // a file read while it grows, or when its content is complete. Nothing
  // to do for a FIFO or device.
  Result<void> commit();
  // Closes the descriptor now (removing the file if never committed).
  void close();

  // Closes the descriptors of a file not yet committed (a device, or a file
  // committed, stays open). commit() and close() need no resume() first.
  void park();
  // Opens a parked file again, for writing at its end.
  Result<void> resume();

 private:
  // Which file a descriptor is open on.
  struct Identity {
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const Identity&) const = default;
  };
  static Identity identity(int fd);

  PrivateFile() = default;
  // Opens the target's directory into dir_fd_, unless it is open: `doing`
  // says what for, in the error. Once opened, only the same directory again.
  Result<void> open_dir(const char* doing);

  int fd_ = -1;
  int dir_fd_ = -1;          // the target's directory, for the rename
  std::string path_;
  std::string dir_;          // the target's directory, as given
  Identity dir_id_, file_id_;
  std::string base_;         // the target's name in its directory
  std::string temp_;         // the temporary name; empty once committed (or for a device)
  Target target_ = Target::kUserNamed;
  bool regular_ = true;
};

}  // namespace etrace::common
