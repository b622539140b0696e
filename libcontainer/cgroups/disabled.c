/* disabled.c - the driver that does nothing: CGROUP_MANAGER_DISABLED, a
 * host without cgroups, or a rootless caller without permission.
 *
 * Operations that only exist through cgroups (pause, update) fail with a
 * message saying so; the others succeed with nothing to do. */
#include "cgroup_internal.h"

#include <stdlib.h>
#include <string.h>

static int dis_create(struct cgroup_manager *m, const struct berth_resources *r,
		      struct berth_error *err)
{
	(void)m;
	(void)r;
	(void)err;
	return 0;
}

static int dis_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err)
{
	(void)m;
	(void)pid;
	(void)err;
	return 0;
}

static int dis_update(struct cgroup_manager *m, const struct berth_resources *r,
		      struct berth_error *err)
{
	(void)m;
	(void)r;
	return berr_set(err, "cannot update resources: the container runs without cgroups");
}

static int dis_freeze(struct cgroup_manager *m, bool frozen, struct berth_error *err)
{
	(void)m;
	(void)frozen;
	return berr_set(err, "cannot pause or resume: the container runs without cgroups");
}

static int dis_is_frozen(struct cgroup_manager *m, bool *frozen, struct berth_error *err)
{
	(void)m;
	(void)err;
	*frozen = false;
	return 0;
}

static int dis_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, struct berth_error *err)
{
	(void)m;
	(void)err;
	*pids = NULL;
	*n = 0;
	return 0;
}

static int dis_kill_all(struct cgroup_manager *m, int sig, struct berth_error *err)
{
	(void)m;
	(void)sig;
	(void)err;
	return 0;
}

static int dis_stats(struct cgroup_manager *m, struct cgroup_stats *st, struct berth_error *err)
{
	(void)m;
	(void)err;
	memset(st, 0, sizeof(*st)); /* not present: no cgroup, no counters */
	return 0;
}

static int dis_destroy(struct cgroup_manager *m, struct berth_error *err)
{
	(void)m;
	(void)err;
	return 0;
}

static int dis_oom_count(struct cgroup_manager *m, uint64_t *count, struct berth_error *err)
{
	(void)m;
	(void)err;
	*count = 0;
	return 0;
}

const struct cg_driver cg_driver_disabled = {
    .id = CGROUP_DRIVER_DISABLED,
    .create = dis_create,
    .add_pid = dis_add_pid,
    .update = dis_update,
    .freeze = dis_freeze,
    .is_frozen = dis_is_frozen,
    .pids = dis_pids,
    .kill_all = dis_kill_all,
    .stats = dis_stats,
    .destroy = dis_destroy,
    .oom_count = dis_oom_count,
};
