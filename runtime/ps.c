/* ps.c - the processes of a container, from its cgroup. */
#include "container.h"
#include "lifecycle.h"

int runtime_ps_pids(const struct runtime_opts *ro, const char *id, pid_t **pids, size_t *n,
		    struct berth_error *err)
{
	struct container *c;
	int rc;

	if (container_open(ro->root, id, false, &c, err) < 0)
		return -1;
	if (container_status(c) == CONTAINER_STOPPED) {
		*pids = NULL;
		*n = 0;
		container_close(c);
		return 0;
	}
	if (!c->cgroup)
		rc = berr_set(err, "container %s has no cgroup: cannot list its processes", id);
	else
		rc = cgroup_manager_pids(c->cgroup, pids, n, err);
	container_close(c);
	return rc;
}
