/* race_swap.c - the attacker of tests/security/races.bats: swaps names as
 * fast as the kernel allows, so a runtime resolving a path through them
 * sees a directory one instant and a symlink the next.
 *
 *   race_swap SECONDS A1 B1 [A2 B2 ...]
 *
 * Exchanges each pair (renameat2 RENAME_EXCHANGE: atomic, both names always
 * exist) in turn, round robin, until SECONDS have passed, then prints the
 * number of exchanges made. Repeating a pair in the list changes the mix
 * (e.g. "null l1 null l1 null l2 null l2" shows the first name as the
 * original, link 1, the original, link 2...). A pair naming one path twice
 * is skipped.
 *
 * It runs inside a container (linked statically: the test rootfs has no
 * libc). It never touches anything but the names it is given, never runs
 * longer than SECONDS (at most 600), and is never installed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long long swaps = 0, failed = 0, rounds = 0;
	double seconds, end;

	if (argc < 4 || (argc - 2) % 2 != 0) {
		fprintf(stderr, "usage: race_swap SECONDS A1 B1 [A2 B2 ...]\n");
		return 2;
	}
	seconds = strtod(argv[1], NULL);
	if (seconds <= 0 || seconds > 600) {
		fprintf(stderr, "race_swap: SECONDS must be in (0, 600]\n");
		return 2;
	}
	end = now() + seconds;
	int npairs = (argc - 2) / 2;
	for (;;) {
		for (int p = 0; p < npairs; p++) {
			const char *a = argv[2 + 2 * p], *b = argv[3 + 2 * p];
			if (strcmp(a, b) == 0)
				continue;
			if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0)
				swaps++;
			else if (++failed > 1000 && swaps == 0) {
				perror("race_swap: renameat2");
				return 1;
			}
		}
		/* the clock only every few thousand swaps: they are the point */
		if ((++rounds & 0xfff) == 0 && now() > end)
			break;
	}
	printf("race_swap: %llu exchanges, %llu failed\n", swaps, failed);
	return 0;
}
