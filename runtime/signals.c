/* signals.c - signal names, as `kill` accepts them: "KILL", "SIGKILL", "9". */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifecycle.h"

struct signame {
	const char *name;
	int sig;
};

/* Sorted by name for bsearch. */
static const struct signame names[] = {
    {"ABRT", SIGABRT}, {"ALRM", SIGALRM},     {"BUS", SIGBUS},	     {"CHLD", SIGCHLD},
    {"CONT", SIGCONT}, {"FPE", SIGFPE},	      {"HUP", SIGHUP},	     {"ILL", SIGILL},
    {"INT", SIGINT},   {"IO", SIGIO},	      {"IOT", SIGIOT},	     {"KILL", SIGKILL},
    {"PIPE", SIGPIPE}, {"POLL", SIGPOLL},     {"PROF", SIGPROF},     {"PWR", SIGPWR},
    {"QUIT", SIGQUIT}, {"SEGV", SIGSEGV},     {"STKFLT", SIGSTKFLT}, {"STOP", SIGSTOP},
    {"SYS", SIGSYS},   {"TERM", SIGTERM},     {"TRAP", SIGTRAP},     {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},	     {"USR1", SIGUSR1},
    {"USR2", SIGUSR2}, {"VTALRM", SIGVTALRM}, {"WINCH", SIGWINCH},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ},
};

static int cmp(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct signame *)elem)->name);
}

int signal_parse(const char *s, int *sig)
{
	char *end;
	long n;

	if (!s || !*s)
		return -1;
	n = strtol(s, &end, 10);
	if (*end == '\0') {
		/* 0 sends nothing and checks the init is there (kill(2)), as runc's `kill ID 0` */
		if (n < 0 || n > SIGRTMAX)
			return -1;
		*sig = (int)n;
		return 0;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	if (strncasecmp(s, "RTMIN", 5) == 0 || strncasecmp(s, "RTMAX", 5) == 0) {
		long off = 0;
		if (s[5] == '+' || s[5] == '-')
			off = strtol(s + 5, &end, 10);
		else
			end = (char *)s + 5;
		if (*end)
			return -1;
		n = (strncasecmp(s, "RTMIN", 5) == 0 ? SIGRTMIN : SIGRTMAX) + off;
		if (n < SIGRTMIN || n > SIGRTMAX)
			return -1;
		*sig = (int)n;
		return 0;
	}
	const struct signame *f =
	    bsearch(s, names, sizeof(names) / sizeof(names[0]), sizeof(names[0]), cmp);
	if (!f)
		return -1;
	*sig = f->sig;
	return 0;
}
