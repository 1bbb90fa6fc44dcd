// bare_hook OBJECT COMMAND [ARGS...]: attaches the programs of OBJECT
// (bare_hook.bpf.o: sys_enter and sys_exit programs that do nothing), runs
// COMMAND, and exits with its status once it ends.
#include <bpf/libbpf.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bare_hook OBJECT COMMAND [ARGS...]\n");
    return 2;
  }
  struct bpf_object* obj = bpf_object__open_file(argv[1], NULL);
  if (!obj || bpf_object__load(obj)) {
    fprintf(stderr, "bare_hook: cannot load %s\n", argv[1]);
    return 1;
  }
  struct bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    if (!bpf_program__attach(prog)) {
      fprintf(stderr, "bare_hook: cannot attach %s\n", bpf_program__name(prog));
      return 1;
    }
  }
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    fprintf(stderr, "bare_hook: cannot run %s: %s\n", argv[2], strerror(errno));
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0) return 1;
  bpf_object__close(obj);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
