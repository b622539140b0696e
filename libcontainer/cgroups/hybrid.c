/* hybrid.c - the hybrid driver: cgroup v1 controllers carry the limits, the
 * cgroup2 "unified" mount (no controllers, usually) carries membership
 * (clone3 CLONE_INTO_CGROUP) and cgroup.kill; freezing goes through the v1
 * freezer when it is mounted.
 *
 * When the unified part cannot be made (no permission), the container runs
 * with the v1 part alone, as runc does. Device rules go to the v1 devices
 * controller, or to an eBPF program on the unified cgroup when that
 * controller is not mounted. */
#include "cgroup_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

static int hybrid_destroy(struct cgroup_manager *m, struct berth_error *err)
{
	struct berth_error e;
	int ret = 0;

	/* kill through the unified cgroup first: cgroup.kill reaches everything
	 * born there, then the v1 pass catches anything that only joined v1 */
	if (m->v2_usable && cg_kill_dir(m->v2_dir, SIGKILL, true, &e) < 0)
		log_debug("kill leftovers in %s: %s", m->v2_dir, e.msg);
	if (cg_v1_destroy(m, err) < 0)
		ret = -1;
	if (cg_v2_destroy(m, ret < 0 ? &e : err) < 0)
		ret = -1;
	m->v2_usable = false;
	return ret;
}

static int hybrid_create(struct cgroup_manager *m, const struct berth_resources *r,
			 struct berth_error *err)
{
	struct berth_error e;

	struct cg_hier *fz = cg_v1_hier(m, "freezer");

	if (cg_unified_check(m->v2_mount, r, err) < 0 ||
	    cg_refuse_frozen(fz ? fz->dir : NULL, m->v2_dir, err) < 0)
		return -1;
	if (cg_v1_create_dirs(m, true, err) < 0)
		goto fail;
	if (cg_v2_create_dir(m, false, &e) < 0) {
		if (e.errnum != EACCES && e.errnum != EPERM && e.errnum != EROFS) {
			*err = e;
			goto fail;
		}
		log_debug("unified cgroup not usable, continuing with v1 only: %s", e.msg);
		m->v2_usable = false;
	}
	if (cg_v1_apply(m, r, false, err) < 0)
		goto fail;
	if (!m->rootless && !cg_v1_hier(m, "devices") && m->v2_usable) {
		struct cg_device_list l;
		int ret;

		if (cg_device_rules(r, &l, err) < 0)
			goto fail;
		ret = cg_bpf_devices_apply(cg_v2_open_fd(m), l.rules, l.n, err);
		free(l.rules);
		if (ret < 0) {
			berr_prefix(err, "linux.resources.devices");
			goto fail;
		}
	}
	if (cg_hybrid_apply_unified(m, r, err) < 0)
		goto fail;
	return 0;
fail:
	if (hybrid_destroy(m, &e) < 0)
		log_debug("cleanup: %s", e.msg);
	return -1;
}

int cg_hybrid_apply_unified(struct cgroup_manager *m, const struct berth_resources *r,
			    struct berth_error *err)
{
	if (!r || !r->present || !r->n_unified)
		return 0;
	if (!m->v2_usable)
		return berr_set(err, "linux.resources.unified: no usable cgroup v2 hierarchy");
	return cg_v2_apply_unified(m->v2_dir, r, err);
}

int cg_hybrid_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err)
{
	if (m->v2_usable && cg_v2_add_pid(m, pid, err) < 0)
		return -1;
	return cg_v1_add_pid(m, pid, err);
}

static int hybrid_update(struct cgroup_manager *m, const struct berth_resources *r,
			 struct berth_error *err)
{
	if (cg_unified_check(m->v2_mount, r, err) < 0 || cg_v1_apply(m, r, true, err) < 0)
		return -1;
	return cg_hybrid_apply_unified(m, r, err);
}

/* Freeze where the freezer controller is: the v1 freezer when it is
 * mounted (its freezer.state is what engines and people read), else the
 * unified cgroup's cgroup.freeze. Pause and resume take the same one. */
static bool v1_freezer(struct cgroup_manager *m)
{
	return cg_v1_hier(m, "freezer") != NULL;
}

int cg_hybrid_freeze(struct cgroup_manager *m, bool frozen, struct berth_error *err)
{
	if (v1_freezer(m) || !m->v2_usable)
		return cg_v1_freeze(m, frozen, err);
	return cg_freeze_v2(m->v2_dir, frozen, err);
}

int cg_hybrid_is_frozen(struct cgroup_manager *m, bool *frozen, struct berth_error *err)
{
	/* one read: every state/list asks this */
	if (v1_freezer(m) || !m->v2_usable)
		return cg_v1_is_frozen(m, frozen, err);
	return cg_is_frozen_v2(m->v2_dir, frozen, err);
}

int cg_hybrid_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, struct berth_error *err)
{
	if (m->v2_usable)
		return cg_read_procs(m->v2_dir, true, pids, n, err);
	return cg_v1_pids(m, pids, n, err);
}

int cg_hybrid_kill_all(struct cgroup_manager *m, int sig, struct berth_error *err)
{
	struct cg_hier *fz = cg_v1_hier(m, "freezer");

	/* SIGKILL through cgroup.kill; other signals under the freezer that
	 * pause uses, so that a paused container stays paused */
	if (m->v2_usable && (sig == SIGKILL || !fz))
		return cg_kill_dir(m->v2_dir, sig, true, err);
	if (!fz)
		return berr_set(err, "no cgroup to signal the container's processes through");
	return cg_kill_dir(fz->dir, sig, false, err);
}

const struct cg_driver cg_driver_hybrid = {
    .id = CGROUP_DRIVER_HYBRID,
    .create = hybrid_create,
    .add_pid = cg_hybrid_add_pid,
    .update = hybrid_update,
    .freeze = cg_hybrid_freeze,
    .is_frozen = cg_hybrid_is_frozen,
    .pids = cg_hybrid_pids,
    .kill_all = cg_hybrid_kill_all,
    .stats = cg_stats_v1,
    .destroy = hybrid_destroy,
    .oom_count = cg_v1_oom_count,
};
