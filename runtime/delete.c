/* delete.c - `delete`: tear down a stopped (or, with -f, any) container:
 * its processes, cgroup, poststop hooks, state dir. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container.h"
#include "crash_point.h"
#include "host_rootfs.h"
#include "lifecycle.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/process/process.h"
#include "libcontainer/log.h"
#include "state_dir.h"

static void run_poststop(struct container *c)
{
	char path[4096];
	struct berth_error err = {0};

	if (!c->bundle || !c->has_poststop)
		return;
	snprintf(path, sizeof(path), "%s/config.json", c->bundle);
	struct berth_spec *spec = berth_spec_load(path, &err);
	if (!spec)
		return; /* bundle already gone: nothing left to run */
	if (spec->hooks.poststop.n) {
		_cleanup_free_ char *state = container_state_json(c, &err);
		if (state && hooks_run(&spec->hooks.poststop, "poststop", state, &err) < 0)
			log_warn("%s", err.msg);
	}
	berth_spec_free(spec);
}

/* SIGKILL the init and wait (up to ~10 s) until it is gone. */
static int kill_and_wait(struct container *c, struct berth_error *err)
{
	if (c->cgroup)
		cgroup_manager_kill_all(c->cgroup, SIGKILL, err);
	if (c->pid <= 0)
		return 0; /* create was killed before the clone */
	_cleanup_close_ int fd = pidfd_open_pid(c->pid, err);
	if (fd < 0)
		return 0; /* already gone */
	if (proc_start_time(c->pid) != c->start_time)
		return 0;
	pidfd_signal(fd, SIGKILL, err);
	if (c->cgroup)
		cgroup_manager_freeze(c->cgroup, false, err);
	struct pollfd p = {fd, POLLIN, 0};
	if (poll(&p, 1, 10000) <= 0)
		return berr_set(err, "container %s: init did not die after SIGKILL", c->id);
	/* pidfd readable = exited; a zombie may linger until its parent reaps it */
	return 0;
}

int runtime_destroy(struct container *c, struct berth_error *err)
{
	if (c->cgroup && cgroup_manager_destroy(c->cgroup, err) < 0)
		return berr_prefix(err, "delete container %s", c->id);
	if (c->rootfs && host_rootfs_release(c->dir_fd, c->rootfs, err) < 0)
		return berr_prefix(err, "delete container %s", c->id);
	crash_point("delete.cgroup-destroyed");
	run_poststop(c);
	crash_point("delete.poststop-done");
	state_dir_remove(c->root, c->id);
	return 0;
}

int runtime_delete(const struct runtime_opts *ro, const char *id, bool force,
		   struct berth_error *err)
{
	struct container *c;
	int rc = -1;

	if (container_open(ro->root, id, true, &c, err) < 0) {
		/* -f on a missing container succeeds, as runc: engines call it to be sure. */
		if (force && strstr(err->msg, "does not exist")) {
			state_dir_remove(ro->root, id);
			return 0;
		}
		/* An unreadable state.json must not make a container undeletable:
		 * create's intent record still names its init and cgroup. */
		if (!force)
			return -1;
		log_warn("%s: removing it with what create recorded ahead", err->msg);
		berr_clear(err);
		if (container_open_salvage(ro->root, id, &c, err) < 0)
			return -1;
	}
	enum container_status s = container_status(c);
	if (s == CONTAINER_RUNNING || s == CONTAINER_PAUSED) {
		if (!force) {
			berr_set(err, "cannot delete container %s that is not stopped: %s", id,
				 container_status_name(s));
			goto out;
		}
	}
	/* We hold the lock, so a "creating" container's create is gone: it was
	 * killed, and its init (if any) must not outlive it. */
	if (s != CONTAINER_STOPPED && kill_and_wait(c, err) < 0)
		goto out;
	crash_point("delete.killed");
	rc = runtime_destroy(c, err);
out:
	container_close(c);
	return rc;
}
