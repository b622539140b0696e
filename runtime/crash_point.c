/* crash_point.c - the test build's crash points (see crash_point.h). */
#include "crash_point.h"

#ifdef BERTH_CRASH_POINTS
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void crash_point(const char *name)
{
	const char *at = getenv("BERTH_CRASH_AT");
	const char *trace = getenv("BERTH_CRASH_TRACE");

	if (trace && *trace) {
		int fd = open(trace, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0) {
			dprintf(fd, "%s\n", name);
			close(fd);
		}
	}
	if (at && !strcmp(at, name))
		kill(getpid(), SIGKILL);
}
#endif
