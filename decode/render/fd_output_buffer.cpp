#include "decode/render/fd_output_buffer.h"

#include <unistd.h>

#include <cerrno>

namespace etrace::decode {

FdOutputBuffer::FdOutputBuffer(int fd, size_t size) : fd_(fd), buffer_(size) {
  setp(buffer_.data(), buffer_.data() + buffer_.size());
}

FdOutputBuffer::~FdOutputBuffer() { drain(); }

int write_fully(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;  // a write of nothing, which only a broken device returns
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

bool FdOutputBuffer::drain() {
  if (!error_) error_ = write_fully(fd_, std::string_view(pbase(), static_cast<size_t>(pptr() - pbase())));
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return !error_;
}

FdOutputBuffer::int_type FdOutputBuffer::overflow(int_type c) {
  if (!drain()) return traits_type::eof();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

int FdOutputBuffer::sync() { return drain() ? 0 : -1; }

}  // namespace etrace::decode
