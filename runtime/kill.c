/* kill.c - `kill`: signal the init by pidfd (never a reused PID), or every
 * process of the container's cgroup with --all. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "container.h"
#include "lifecycle.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/process/process.h"

/* Open a pidfd for the init and check it is still the same process. */
static int open_init(const struct container *c, struct berth_error *err)
{
	int fd = pidfd_open_pid(c->pid, err);

	if (fd < 0)
		return berr_set(err, "container not running");
	if (proc_start_time(c->pid) != c->start_time) {
		close(fd);
		return berr_set(err, "container not running");
	}
	return fd;
}

int runtime_kill(const struct runtime_opts *ro, const char *id, int sig, bool all,
		 struct berth_error *err)
{
	struct container *c;
	_cleanup_close_ int fd = -1;
	int rc = -1;

	if (container_open(ro->root, id, false, &c, err) < 0)
		return -1;
	enum container_status s = container_status(c);
	/* --all signals what is left in the cgroup, which may be nothing:
	 * runc's `kill -a` of a stopped container succeeds (engines send it
	 * during teardown); without --all a stopped init is an error. */
	if (all && s == CONTAINER_STOPPED && !c->cgroup) {
		rc = 0;
		goto out;
	}
	if (s == CONTAINER_CREATING || (s == CONTAINER_STOPPED && !all)) {
		berr_set(err, "container not running");
		goto out;
	}
	if (all && c->cgroup) {
		rc = cgroup_manager_kill_all(c->cgroup, sig, err);
		goto out;
	}
	fd = open_init(c, err);
	if (fd < 0)
		goto out;
	if (pidfd_signal(fd, sig, err) < 0) {
		if (err->errnum == ESRCH)
			berr_set(err, "container not running");
		goto out;
	}
	/* A frozen container can't act on the signal: thaw it so SIGKILL lands. */
	if (s == CONTAINER_PAUSED && sig == SIGKILL && c->cgroup)
		cgroup_manager_freeze(c->cgroup, false, err);
	rc = 0;
out:
	container_close(c);
	return rc;
}
