/* update.c - `update`: change a live container's cgroup limits. Only the
 * fields the request sets are written; devices are never touched here. */
#include "container.h"
#include "resources.h"

int runtime_update(const struct runtime_opts *ro, const char *id, const struct berth_resources *r,
		   struct berth_error *err)
{
	struct container *c;
	int rc = -1;

	if (container_open(ro->root, id, true, &c, err) < 0)
		return -1;
	switch (container_status(c)) {
	case CONTAINER_CREATED:
	case CONTAINER_RUNNING:
	case CONTAINER_PAUSED:
		break;
	default:
		berr_set(err, "container not running");
		goto out;
	}
	if (!c->cgroup || cgroup_manager_is_disabled(c->cgroup)) {
		berr_set(err, "container %s runs without cgroups: nothing to update", id);
		goto out;
	}
	rc = cgroup_manager_update(c->cgroup, r, err);
out:
	container_close(c);
	return rc;
}
