// futex: each operation with the arguments it reads, private and
// realtime-clock variants, a requeue and a wake-op between two words, the
// priority-inheritance lock taken and given back, and an operation the
// kernel does not know. Nothing ever blocks: waits find the word changed,
// or time out at once.
#include "program.h"

#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <time.h>

static uint32_t word = 0, other = 0;

int main(void) {
  struct timespec soon = {0, 1000};
  syscall(SYS_futex, &word, FUTEX_WAKE, 1, NULL, NULL, 0);
  syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
  syscall(SYS_futex, &word, FUTEX_WAIT, 1, &soon, NULL, 0);          // EAGAIN: the word is 0
  syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &soon, NULL, 0);  // ETIMEDOUT
  syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);   // EAGAIN
  syscall(SYS_futex, &word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 1, &soon, NULL,
          FUTEX_BITSET_MATCH_ANY);
  syscall(SYS_futex, &word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0x5);
  syscall(SYS_futex, &word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, FUTEX_BITSET_MATCH_ANY);
  syscall(SYS_futex, &word, FUTEX_REQUEUE, 1, 2, &other, 0);
  syscall(SYS_futex, &word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &other, 0);
  syscall(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, 2, &other, 7);  // EAGAIN: the word is not 7
  syscall(SYS_futex, &word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &other, FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_GT, 0));
  syscall(SYS_futex, &word, FUTEX_WAKE_OP, 1, 1, &other,
          FUTEX_OP((FUTEX_OP_ADD | FUTEX_OP_OPARG_SHIFT), 3, FUTEX_OP_CMP_EQ, 1));
  syscall(SYS_futex, &word, FUTEX_LOCK_PI, 0, &soon, NULL, 0);
  syscall(SYS_futex, &word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
  syscall(SYS_futex, &word, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
  syscall(SYS_futex, &word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
  syscall(SYS_futex, &other, FUTEX_WAIT_REQUEUE_PI, 1, &soon, &word, 0);  // EAGAIN
  syscall(SYS_futex, &other, FUTEX_CMP_REQUEUE_PI, 1, 1, &word, 0);      // EAGAIN
  syscall(SYS_futex, &word, 99, 1, 2, 3, 4);                             // ENOSYS
  return 0;
}
