/* events.c - what `events` reports about a container: its cgroup stats and
 * the OOM kills counted so far. Sampling only; the loop and the JSON event
 * lines belong to cmd/events.c. */
#include <errno.h>

#include "container.h"
#include "resources.h"
#include "stats_json.h"

int runtime_events_sample(const struct runtime_opts *ro, const char *id, char **stats,
			  uint64_t *oom_kills, bool *stopped, struct berth_error *err)
{
	struct container *c;
	struct cgroup_stats st;
	struct berth_error ignored;
	int rc = -1;

	*stats = NULL;
	*oom_kills = 0;
	*stopped = false;
	if (container_open(ro->root, id, false, &c, err) < 0)
		return -1;
	if (container_status(c) == CONTAINER_STOPPED) {
		*stopped = true;
		rc = 0;
		goto out;
	}
	if (cgroup_manager_stats(c->cgroup, &st, err) < 0)
		goto out;
	*stats = stats_json(&st);
	cgroup_stats_free(&st);
	if (!*stats) {
		berr_sys(err, ENOMEM, "render the stats of %s", id);
		goto out;
	}
	if (cgroup_manager_oom_count(c->cgroup, oom_kills, &ignored) < 0)
		*oom_kills = 0;
	rc = 0;
out:
	container_close(c);
	return rc;
}
