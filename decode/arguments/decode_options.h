// What etrace-decode's command line asks of the argument decoder (as
// opposed to the renderers): strace's -s and -v.
#pragma once

#include <cstddef>
#include <cstdint>

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

// What JSON output asks of the decoder, whatever -s and -v say: nothing
// abbreviated, structures in full and arrays whole, so that neither a
// member's presence nor an array's length depends on an option.
inline DecodeOptions unabbreviated(DecodeOptions options) {
  options.verbose = true;
  options.string_limit = SIZE_MAX;
  return options;
}

}  // namespace etrace::decode
