/* start.c - `start`: release a created container's init, run poststart hooks. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "container.h"
#include "crash_point.h"
#include "libcontainer/process/process.h"
#include "lifecycle.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "state_dir.h"

static void run_poststart(struct container *c)
{
	char path[4096];
	struct berth_error err = {0};

	if (!c->bundle || !c->has_poststart)
		return;
	snprintf(path, sizeof(path), "%s/config.json", c->bundle);
	struct berth_spec *spec = berth_spec_load(path, &err);
	if (!spec) {
		log_warn("poststart hooks: %s", err.msg);
		return;
	}
	if (spec->hooks.poststart.n) {
		_cleanup_free_ char *state = container_state_json(c, &err);
		if (state && hooks_run(&spec->hooks.poststart, "poststart", state, &err) < 0)
			log_warn("%s", err.msg);
	}
	berth_spec_free(spec);
}

/* The init holds the fifo until its execve closes it (close-on-exec) or it
 * dies, having written why into it: wait for that moment, so poststart runs
 * after the workload started (the spec's order) and a failed startContainer
 * hook or execve fails `start`. */
static int wait_for_exec(struct container *c, int wfd, struct berth_error *err)
{
	struct pollfd p = {.fd = wfd, .events = 0}; /* POLLERR: no reader left */
	char msg[BERR_MSG_MAX];

	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			return berr_sys(err, errno, "wait for the container process to start");
	/* Our writer keeps the pipe, and what the init wrote, alive. */
	_cleanup_close_ int rfd = openat(c->dir_fd, STATE_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rfd < 0)
		return berr_sys(err, errno, "open %s", STATE_FIFO);
	ssize_t n = read(rfd, msg, sizeof(msg) - 1);
	if (n > 0) {
		msg[n] = '\0';
		return berr_set(err, "%s", msg);
	}
	return 0;
}

int runtime_start(const struct runtime_opts *ro, const char *id, struct berth_error *err)
{
	struct container *c;
	_cleanup_close_ int fd = -1;
	int rc = -1;

	if (container_open(ro->root, id, true, &c, err) < 0)
		return -1;
	switch (container_status(c)) {
	case CONTAINER_CREATED:
		break;
	case CONTAINER_STOPPED:
		berr_set(err, "cannot start a container that has stopped");
		goto out;
	case CONTAINER_CREATING:
		berr_set(err, "cannot start a container that is still being created");
		goto out;
	default:
		berr_set(err, "cannot start an already running container");
		goto out;
	}
	/* Non-blocking: with no reader left (init gone) this fails at once. */
	fd = openat(c->dir_fd, STATE_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		berr_sys(err, errno, "start container %s: open %s", id, STATE_FIFO);
		goto out;
	}
	if (write(fd, "0", 1) != 1) {
		berr_sys(err, errno, "start container %s", id);
		goto out;
	}
	crash_point("start.released");
	if (wait_for_exec(c, fd, err) < 0) {
		unlinkat(c->dir_fd, STATE_FIFO, 0);
		goto out;
	}
	crash_point("start.exec-seen");
	if (unlinkat(c->dir_fd, STATE_FIFO, 0) < 0) {
		berr_sys(err, errno, "start container %s: remove %s", id, STATE_FIFO);
		goto out;
	}
	crash_point("start.fifo-removed");
	run_poststart(c);
	rc = 0;
out:
	container_close(c);
	return rc;
}
