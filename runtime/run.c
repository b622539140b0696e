/* run.c - `run`: create + start, then (unless detached) wait, forwarding
 * signals, and delete. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "container.h"
#include "lifecycle.h"

static int delete_after_run(const struct runtime_opts *ro, const char *id)
{
	struct berth_error err = {0};
	struct container *c;

	if (container_open(ro->root, id, true, &c, &err) < 0)
		return -1;
	int rc = runtime_destroy(c, &err);
	container_close(c);
	return rc;
}

int runtime_run(const struct runtime_opts *ro, const struct create_opts *o, bool detach, bool keep,
		struct berth_error *err)
{
	struct created_container cc;
	struct create_opts co = *o;
	int status;

	co.foreground = !detach;
	if (runtime_create(ro, &co, &cc, err) < 0)
		return -1;
	berth_spec_free(cc.spec);
	if (runtime_start(ro, o->id, err) < 0) {
		struct berth_error ignored;
		runtime_delete(ro, o->id, true, &ignored);
		return -1;
	}
	if (detach) {
		close(cc.pidfd);
		return 0;
	}
	status = runtime_wait_child(cc.pid, cc.pidfd, cc.pty_master, err);
	close(cc.pidfd);
	if (cc.pty_master >= 0)
		close(cc.pty_master);
	sigprocmask(SIG_SETMASK, &cc.old_sigmask, NULL);
	if (status < 0)
		return -1;
	if (!keep)
		delete_after_run(ro, o->id);
	return status;
}
