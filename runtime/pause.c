/* pause.c - `pause` and `resume`: freeze or thaw every process of the
 * container through its cgroup. The state is never stored: status derives
 * it from the freezer each time. */
#include "container.h"
#include "resources.h"

static int set_frozen(const struct runtime_opts *ro, const char *id, bool frozen,
		      struct berth_error *err)
{
	struct container *c;
	enum container_status want = frozen ? CONTAINER_RUNNING : CONTAINER_PAUSED;
	int rc = -1;

	if (container_open(ro->root, id, true, &c, err) < 0)
		return -1;
	if (container_status(c) != want)
		berr_set(err, frozen ? "container not running" : "container not paused");
	else if (!c->cgroup || cgroup_manager_is_disabled(c->cgroup))
		berr_set(err, "container %s runs without cgroups: cannot %s it", id,
			 frozen ? "pause" : "resume");
	else
		rc = cgroup_manager_freeze(c->cgroup, frozen, err);
	container_close(c);
	return rc;
}

int runtime_pause(const struct runtime_opts *ro, const char *id, struct berth_error *err)
{
	return set_frozen(ro, id, true, err);
}

int runtime_resume(const struct runtime_opts *ro, const char *id, struct berth_error *err)
{
	return set_frozen(ro, id, false, err);
}
