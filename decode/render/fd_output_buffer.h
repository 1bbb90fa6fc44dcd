// A stream buffer that writes to a file descriptor in large writes.
//
// std::cout, once unsynced from stdio, writes through a buffer of a few
// KiB that libstdc++ does not let us enlarge; decoding to JSON then made
// one write(2) per 10 KiB, about an eighth of its time.
#ifndef ETRACE_DECODE_FD_OUTPUT_BUFFER_H
#define ETRACE_DECODE_FD_OUTPUT_BUFFER_H

#include <streambuf>
#include <string_view>
#include <vector>

namespace etrace::decode {

// Writes all of `bytes` to `fd`: 0, or the errno of the write that failed.
int write_fully(int fd, std::string_view bytes);

class FdOutputBuffer : public std::streambuf {
 public:
  explicit FdOutputBuffer(int fd, size_t size = 1 << 20);
  ~FdOutputBuffer() override;

  // The errno of the write that failed; 0 while none has.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  // Writes what the buffer holds; false on a write error (the stream then
  // goes bad, and stays so).
  bool drain();

  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;
};

}  // namespace etrace::decode

#endif
