/* systemd_v1.c - the systemd cgroup driver on cgroup v1 and hybrid hosts.
 *
 * As on v2 (systemd.c), the first add_pid starts a transient unit around the
 * init with Delegate=yes and the limits systemd manages, by their v1 names
 * (MemoryLimit, CPUShares, ...). systemd then holds the process in the
 * hierarchies of the controllers it runs (memory, cpu, pids, devices,
 * blkio and its own tracking one). The others (cpuset, freezer, net_cls,
 * perf_event, hugetlb, ...) get the unit's path made by berth, and the
 * init joins them all, as runc does; every limit is then written to the
 * files by the v1 code, so the files say exactly what was asked. From then
 * on this is the hybrid driver's code on those directories (the v1 freezer
 * for pause, the unified cgroup, when there is one, for listing and
 * SIGKILL). destroy stops the unit and removes what systemd left. */
#include "cgroup_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

static int sdv1_create(struct cgroup_manager *m, const struct berth_resources *r,
		       struct berth_error *err)
{
	struct cg_hier *fz = cg_v1_hier(m, "freezer");

	if (cg_unified_check(m->v2_mount, r, err) < 0 ||
	    cg_refuse_frozen(fz ? fz->dir : NULL, NULL, err) < 0)
		return -1;
	return cg_sd_create(m, r, err);
}

/* The limits the properties don't carry, and the exact values of those they
 * do: the v1 files, then the unified keys on a hybrid host. */
static int apply(struct cgroup_manager *m, const struct berth_resources *r, bool update,
		 struct berth_error *err)
{
	if (cg_v1_apply(m, r, update, err) < 0)
		return -1;
	return cg_hybrid_apply_unified(m, r, err);
}

static int sdv1_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err)
{
	if (m->sd_started)
		return cg_hybrid_add_pid(m, pid, err);
	if (cg_sd_start_unit(m, pid, err) < 0)
		return -1;
	/* the unit's dirs exist where systemd runs the controller; the rest
	 * are made here (cpuset filled from its parent before the init joins) */
	if (cg_v1_create_dirs(m, false, err) < 0 || cg_hybrid_add_pid(m, pid, err) < 0)
		return -1;
	return apply(m, m->sd_res, false, err);
}

static int sdv1_update(struct cgroup_manager *m, const struct berth_resources *r,
		       struct berth_error *err)
{
	if (cg_unified_check(m->v2_mount, r, err) < 0 || cg_sd_set_props(m, r, err) < 0)
		return -1;
	return apply(m, r, true, err);
}

/* Does the unit's cgroup still exist in any hierarchy? */
static bool cgroup_left(struct cgroup_manager *m)
{
	if (m->v2_dir && cg_exists(m->v2_dir, "cgroup.procs"))
		return true;
	for (size_t i = 0; i < m->n_hier; i++)
		if (cg_exists(m->hier[i].dir, "cgroup.procs"))
			return true;
	return false;
}

/* Kill what is left, stop the unit (gone already is fine), then remove the
 * dirs berth made and any systemd left. */
static int sdv1_destroy(struct cgroup_manager *m, struct berth_error *err)
{
	struct berth_error e;
	int ret = 0;

	/* a unit this manager did not start (a clash with a running one) is not ours */
	if (!m->sd_unit || !m->sd_started || !m->n_hier)
		return 0;
	if (cgroup_left(m) && cg_hybrid_kill_all(m, SIGKILL, &e) < 0)
		log_debug("kill leftovers of %s: %s", m->sd_unit, e.msg);
	/* a unit that can't be stopped shows as a dir the rmdir below can't remove */
	if (cg_sd_helper(false, "stop", m->sd_unit, NULL, NULL, &e) < 0)
		log_debug("%s", e.msg);
	m->sd_started = false;
	if (cg_v1_destroy(m, err) < 0)
		ret = -1;
	if (cg_v2_destroy(m, ret < 0 ? &e : err) < 0)
		ret = -1;
	m->v2_usable = false;
	return ret;
}

const struct cg_driver cg_driver_systemd_v1 = {
    .id = CGROUP_DRIVER_SYSTEMD,
    .create = sdv1_create,
    .add_pid = sdv1_add_pid,
    .update = sdv1_update,
    .freeze = cg_hybrid_freeze,
    .is_frozen = cg_hybrid_is_frozen,
    .pids = cg_hybrid_pids,
    .kill_all = cg_hybrid_kill_all,
    .stats = cg_stats_v1,
    .destroy = sdv1_destroy,
    .oom_count = cg_v1_oom_count,
};
