/*
** bench/timeit.c: run one shell command and report its wall time and peak
** memory, as `/usr/bin/time -f '%e %M'` does but to the microsecond (the KJV
** rows last a few milliseconds, below %e's 10 ms).
**
**   timeit OUT CMD   runs `/bin/sh -c CMD` with stdio inherited and writes
**                    "SECONDS MAXRSS_KB STATUS" to the file OUT
**
** MAXRSS is the largest resident set of the command or any process it
** waited for (for a pipeline: its biggest stage), from wait4's rusage.
** STATUS is the exit status, or 128+signal; timeit exits with it too.
*/
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
	if (argc != 3) {
		fprintf(stderr, "usage: timeit OUT CMD\n");
		return 2;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out) { perror(argv[1]); return 2; }

	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) { perror("fork"); return 2; }
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", argv[2], (char *)NULL);
		perror("/bin/sh");
		_exit(127);
	}
	int st;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0) { perror("wait4"); return 2; }
	double secs = now() - t0;

	int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	fprintf(out, "%.6f %ld %d\n", secs, ru.ru_maxrss, status);
	fclose(out);
	return status;
}
