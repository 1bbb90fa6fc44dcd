// Memory: anonymous and file-less mappings changed in place, moved, locked
// and released, and the program break moved by hand.
#include "program.h"

#include <sys/mman.h>

int main(void) {
  const long page = 4096;
  char* m = (char*)syscall(SYS_mmap, NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(m != MAP_FAILED);
  m[0] = 1;
  syscall(SYS_mprotect, m, page, PROT_READ);
  syscall(SYS_madvise, m + page, page, MADV_DONTNEED);
  syscall(SYS_mlock, m + 2 * page, page);
  syscall(SYS_munlock, m + 2 * page, page);
  syscall(SYS_munmap, m, 4 * page);

  char* small = (char*)syscall(SYS_mmap, NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  REQUIRE(small != MAP_FAILED);
  char* grown = (char*)syscall(SYS_mremap, small, page, 16 * page, MREMAP_MAYMOVE);
  REQUIRE(grown != MAP_FAILED);
  syscall(SYS_msync, grown, page, MS_SYNC);
  syscall(SYS_munmap, grown, 16 * page);
  syscall(SYS_mmap, NULL, page, PROT_READ, MAP_PRIVATE, -1, 0);  // EBADF: a file mapping without a file
  syscall(SYS_mprotect, (void*)0x1000, page, PROT_READ);         // ENOMEM: nothing mapped there

  long brk0 = syscall(SYS_brk, 0);
  syscall(SYS_brk, brk0 + 8 * page);
  syscall(SYS_brk, brk0);
  return 0;
}
