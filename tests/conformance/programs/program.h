// What every conformance program shares: the raw-syscall entry point and a
// check that ends the program when a call the rest depends on fails, so a
// broken run shows as an exit status rather than as a quietly shorter trace.
#pragma once

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define REQUIRE(cond)                                                       \
  do {                                                                      \
    if (!(cond)) {                                                          \
      fprintf(stderr, "%s:%d: %s failed\n", __FILE__, __LINE__, #cond);     \
      exit(99);                                                             \
    }                                                                       \
  } while (0)
