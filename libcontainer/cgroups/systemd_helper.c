/* systemd_helper.c - running libexec/berth-systemd, the sd-bus client of the
 * systemd driver, and turning its stderr into berth's error.
 *
 * Where the helper is: $BERTH_SYSTEMD_HELPER, else the libexecdir berth was
 * configured with, else ../libexec/ next to the running binary (a build
 * tree). Never used by the other drivers. */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

#define HELPER	    "berth-systemd"
#define OUT_MAX	    4096
#define HELPER_FAIL 127

extern char **environ;

static int find_helper(char *buf, size_t len)
{
	const char *env = getenv("BERTH_SYSTEMD_HELPER");
	char exe[PATH_MAX - 64];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	snprintf(buf, len, "%s/" HELPER, BERTH_LIBEXECDIR);
	if (access(buf, X_OK) == 0)
		return 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0 && exe[0] == '/') {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		*slash = '\0';
		snprintf(buf, len, "%s/../libexec/" HELPER, exe);
		if (access(buf, X_OK) == 0)
			return 0;
	}
	return -1;
}

/* Feed `input`, collect stdout and stderr, all through poll so that no pipe
 * fills up while we wait on another. */
static void exchange(int in, int out, int errfd, const char *input, char *o, size_t *olen, char *e,
		     size_t *elen)
{
	size_t done = 0, ilen = input ? strlen(input) : 0;
	struct pollfd p[3] = {{.fd = ilen ? in : -1, .events = POLLOUT},
			      {.fd = out, .events = POLLIN},
			      {.fd = errfd, .events = POLLIN}};

	if (!ilen)
		close(in);
	while (p[0].fd >= 0 || p[1].fd >= 0 || p[2].fd >= 0) {
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].fd >= 0 && p[0].revents) {
			ssize_t w = send(in, input + done, ilen - done, MSG_NOSIGNAL);
			if (w > 0)
				done += (size_t)w;
			if (w < 0 || done == ilen) {
				close(in);
				p[0].fd = -1;
			}
		}
		for (int i = 1; i < 3; i++) {
			char *buf = i == 1 ? o : e;
			size_t *len = i == 1 ? olen : elen;
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			char tmp[512];
			ssize_t r = read(p[i].fd, tmp, sizeof(tmp));
			if (r <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				continue;
			}
			size_t take =
			    (size_t)r < OUT_MAX - 1 - *len ? (size_t)r : OUT_MAX - 1 - *len;
			memcpy(buf + *len, tmp, take);
			*len += take;
		}
	}
	o[*olen] = e[*elen] = '\0';
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

int cg_sd_helper(bool user, const char *cmd, const char *unit, const char *input, char **out,
		 struct berth_error *err)
{
	char path[PATH_MAX];
	int in[2] = {-1, -1}, o[2] = {-1, -1}, e[2] = {-1, -1};
	posix_spawn_file_actions_t fa;
	char *argv[] = {path, user ? "--user" : (char *)cmd, user ? (char *)cmd : (char *)unit,
			user ? (char *)unit : NULL, NULL};
	char obuf[OUT_MAX], ebuf[OUT_MAX];
	size_t olen = 0, elen = 0;
	pid_t pid;
	int status, rc;

	if (find_helper(path, sizeof(path)) < 0)
		return berr_set(err, "the systemd cgroup driver needs its helper " HELPER
				     ", found neither in " BERTH_LIBEXECDIR
				     " nor in ../libexec next to berth (set BERTH_SYSTEMD_HELPER)");
	/* a socket for stdin: a helper gone early is EPIPE, not our SIGPIPE */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0 || pipe2(o, O_CLOEXEC) < 0 ||
	    pipe2(e, O_CLOEXEC) < 0) {
		rc = errno;
		for (int i = 0; i < 2; i++) {
			if (in[i] >= 0)
				close(in[i]);
			if (o[i] >= 0)
				close(o[i]);
		}
		return berr_sys(err, rc, "run %s: pipe", path);
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, o[1], 1);
	posix_spawn_file_actions_adddup2(&fa, e[1], 2);
	log_debug("systemd: %s %s %s", path, cmd, unit);
	rc = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(o[1]);
	close(e[1]);
	if (rc != 0) {
		close(in[1]);
		close(o[0]);
		close(e[0]);
		return berr_sys(err, rc, "run %s", path);
	}
	exchange(in[1], o[0], e[0], input, obuf, &olen, ebuf, &elen);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return berr_sys(err, errno, "wait for %s", path);
	trim(ebuf);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == HELPER_FAIL && !*ebuf)
			return berr_set(err, "systemd: %s could not be run", path);
		return berr_set(err, "systemd: %s", *ebuf ? ebuf : "berth-systemd failed");
	}
	if (out) {
		trim(obuf);
		*out = strdup(obuf);
		if (!*out)
			return berr_sys(err, ENOMEM, "systemd");
	}
	return 0;
}
