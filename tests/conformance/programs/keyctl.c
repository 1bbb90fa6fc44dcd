// The key management syscalls, as keyutils makes them (through syscall()):
// a key added to the process keyring, found, described, read, updated,
// given a timeout, linked and unlinked, invalidated; keyrings by their
// special serials; a session keyring joined by name; a key not found.
#include "program.h"

#include <linux/keyctl.h>

int main(void) {
  char buffer[256];
  long key = syscall(SYS_add_key, "user", "etrace:test", "payload", 7, KEY_SPEC_PROCESS_KEYRING);
  REQUIRE(key > 0);
  syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0);
  syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0);  // ENOKEY: none yet
  syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_PROCESS_KEYRING, "user", "etrace:test", 0);
  syscall(SYS_keyctl, KEYCTL_DESCRIBE, key, buffer, sizeof(buffer));
  syscall(SYS_keyctl, KEYCTL_READ, key, buffer, sizeof(buffer));
  syscall(SYS_keyctl, KEYCTL_READ, key, NULL, 0);
  syscall(SYS_keyctl, KEYCTL_UPDATE, key, "changed", 7);
  syscall(SYS_keyctl, KEYCTL_READ, key, buffer, sizeof(buffer));
  syscall(SYS_keyctl, KEYCTL_CHOWN, key, -1, -1);
  syscall(SYS_keyctl, KEYCTL_SET_TIMEOUT, key, 3600);
  syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 1);
  syscall(SYS_keyctl, KEYCTL_LINK, key, KEY_SPEC_THREAD_KEYRING);
  syscall(SYS_keyctl, KEYCTL_UNLINK, key, KEY_SPEC_PROCESS_KEYRING);
  syscall(SYS_keyctl, KEYCTL_CLEAR, KEY_SPEC_THREAD_KEYRING);
  syscall(SYS_keyctl, KEYCTL_INVALIDATE, key);  // gone with its last link: ENOKEY
  syscall(SYS_keyctl, KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_DEFAULT);
  syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "etrace-ring");
  syscall(SYS_request_key, "user", "etrace:none", NULL, KEY_SPEC_PROCESS_KEYRING);  // ENOKEY
  syscall(SYS_keyctl, 9999, 1, 2, 3, 4);  // EOPNOTSUPP: no such command
  return 0;
}
