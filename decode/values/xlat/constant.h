// One named constant of a generated table. This header includes nothing:
// the generated tables include kernel UAPI headers, which clash with the C
// library's (struct timeval, sigset_t) as soon as a standard header comes in.
#pragma once

namespace etrace::decode::xlat {

struct Constant {
  const char* name;
  long long value;
};

struct ConstantArray {
  const Constant* items;
  unsigned long count;
};

}  // namespace etrace::decode::xlat
