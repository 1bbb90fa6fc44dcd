# Generates a C++ initializer list of x86-64 syscall numbers and names from
# the kernel UAPI header installed by linux-libc-dev.
# Usage: cmake -DHEADER=<asm/unistd_64.h> -DOUT=<file.inc> -P gen-syscall-numbers.cmake
file(STRINGS "${HEADER}" lines REGEX "^#define __NR_[a-z0-9_]+ [0-9]+$")
list(LENGTH lines count)
if(count LESS 300)
  message(FATAL_ERROR "${HEADER} lists only ${count} syscalls; is it the x86-64 unistd_64.h?")
endif()
set(body "// Generated from ${HEADER} by scripts/gen-syscall-numbers.cmake; do not edit.\n")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^#define __NR_([a-z0-9_]+) ([0-9]+)$" "{\\2, \"\\1\"},\n" entry "${line}")
  string(APPEND body "${entry}")
endforeach()
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
