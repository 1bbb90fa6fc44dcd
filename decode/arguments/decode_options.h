// What etrace-decode's command line asks of the argument decoder (as
// opposed to the renderers): strace's -s and -v.
#pragma once

#include <cstddef>

namespace etrace::decode {

struct DecodeOptions {
  // -s: strings are cut here by the renderers; arrays (argv, iovecs) are
  // cut at this many elements, as strace does.
  size_t string_limit = 32;
  // -v: structures and environment arrays in full, not abbreviated.
  bool verbose = false;
  // -y: descriptors with what they refer to (1); -yy: sockets with their
  // protocol and addresses too (2).
  int descriptors = 0;
};

}  // namespace etrace::decode
