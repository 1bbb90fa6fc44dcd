/* The program whose library calls the live tests trace. It calls a few libc
 * functions with known arguments and writes what it cannot know in advance
 * (the addresses malloc and fopen returned) to the file named by its first
 * argument, one "name value" line each, so tests can check decoded lines
 * exactly.
 *
 *   libcall_workload RESULTS         the calls, at once
 *   libcall_workload RESULTS wait    prints "ready PID", then waits for
 *                                    SIGUSR1 before the calls (attach by pid)
 *
 * Built with -fno-builtin: the compiler must not fold strlen or drop the
 * malloc/free pair. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void wait_for_go(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	sigwait(&set, &sig);
}

int main(int argc, char **argv)
{
	const char *volatile word = ETRACE_LW_WORD;
	char line[256];
	size_t len;
	FILE *f;
	char *p;
	int fd;

	if (argc < 2)
		return 2;
	if (argc > 2 && strcmp(argv[2], "wait") == 0)
		wait_for_go();

	len = strlen(word);
	p = malloc(ETRACE_LW_MALLOC_SIZE);
	free(p);
	getenv("HOME");
	f = fopen(ETRACE_LW_FOPEN_PATH, "r");
	if (f)
		fclose(f);

	/* Written with write(2): stdio would add library calls of its own. */
	snprintf(line, sizeof(line), "strlen %zu\nmalloc %p\nfopen %p\n", len, (void *)p, (void *)f);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, line, strlen(line)) < 0)
		return 1;
	close(fd);
	return 0;
}
