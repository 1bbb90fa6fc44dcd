// bpf: an array map made, written, read and walked; a socket filter that
// returns 0 loaded and asked about; ids walked; an object not pinned;
// a link the program's type cannot make; a command the kernel does not
// know.
#include "program.h"

#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>

static long bpf(int cmd, union bpf_attr *attr) { return syscall(SYS_bpf, cmd, attr, sizeof(*attr)); }

int main(void) {
  union bpf_attr a;
  memset(&a, 0, sizeof(a));
  a.map_type = BPF_MAP_TYPE_ARRAY;
  a.key_size = 4;
  a.value_size = 8;
  a.max_entries = 4;
  strcpy(a.map_name, "etrace_map");
  int map = (int)bpf(BPF_MAP_CREATE, &a);
  REQUIRE(map >= 0);

  uint32_t key = 1, next = 0;
  uint64_t value = 42;
  memset(&a, 0, sizeof(a));
  a.map_fd = map;
  a.key = (uintptr_t)&key;
  a.value = (uintptr_t)&value;
  a.flags = BPF_ANY;
  bpf(BPF_MAP_UPDATE_ELEM, &a);
  bpf(BPF_MAP_LOOKUP_ELEM, &a);
  a.flags = BPF_NOEXIST;
  bpf(BPF_MAP_UPDATE_ELEM, &a);  // EEXIST: arrays have every key
  memset(&a, 0, sizeof(a));
  a.map_fd = map;
  a.key = (uintptr_t)&key;
  bpf(BPF_MAP_DELETE_ELEM, &a);  // EINVAL: arrays keep their elements
  a.next_key = (uintptr_t)&next;
  bpf(BPF_MAP_GET_NEXT_KEY, &a);

  struct bpf_insn insns[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
      {.code = BPF_JMP | BPF_EXIT},
  };
  memset(&a, 0, sizeof(a));
  a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
  a.insn_cnt = 2;
  a.insns = (uintptr_t)insns;
  a.license = (uintptr_t) "GPL";
  strcpy(a.prog_name, "etrace_prog");
  int prog = (int)bpf(BPF_PROG_LOAD, &a);
  REQUIRE(prog >= 0);

  struct bpf_prog_info info;
  memset(&info, 0, sizeof(info));
  memset(&a, 0, sizeof(a));
  a.info.bpf_fd = prog;
  a.info.info_len = sizeof(info);
  a.info.info = (uintptr_t)&info;
  bpf(BPF_OBJ_GET_INFO_BY_FD, &a);

  memset(&a, 0, sizeof(a));
  a.map_id = 0x7fffffff;
  bpf(BPF_MAP_GET_FD_BY_ID, &a);  // ENOENT
  memset(&a, 0, sizeof(a));
  a.pathname = (uintptr_t) "/sys/fs/bpf/etrace-none";
  bpf(BPF_OBJ_GET, &a);  // ENOENT
  memset(&a, 0, sizeof(a));
  a.link_create.prog_fd = prog;
  a.link_create.target_fd = 0;
  a.link_create.attach_type = BPF_CGROUP_INET_INGRESS;
  bpf(BPF_LINK_CREATE, &a);  // EINVAL: a socket filter attaches to no cgroup
  syscall(SYS_bpf, 999, &a, sizeof(a));  // EINVAL: no such command
  syscall(SYS_close, prog);
  syscall(SYS_close, map);
  return 0;
}
