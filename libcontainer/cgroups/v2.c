/* v2.c - the cgroup v2 driver: one directory under the cgroup2 mount holds
 * the limits, the membership and the freeze state.
 *
 * Its building blocks (make the dir, add a PID, destroy) are shared with
 * hybrid.c, which uses them on the unified mount. Only ever writes below
 * the parent of the container's cgroup: cgroup.subtree_control of the
 * ancestors (to delegate controllers) and the container's own dir. */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

/* Enable in `dir`'s cgroup.subtree_control every controller it has. Errors
 * are not fatal: a limit whose file is then missing fails with its name. */
static void delegate_controllers(const char *dir)
{
	_cleanup_free_ char *avail = NULL;
	_cleanup_free_ char *enabled = NULL;
	struct berth_error e;
	char *save = NULL;

	if (cg_read(dir, "cgroup.controllers", &avail, &e) < 0)
		return;
	if (cg_read(dir, "cgroup.subtree_control", &enabled, &e) < 0)
		return;
	for (char *c = strtok_r(avail, " ", &save); c; c = strtok_r(NULL, " ", &save)) {
		char list[256];

		snprintf(list, sizeof(list), " %s ", enabled);
		char want[64];
		snprintf(want, sizeof(want), " %s ", c);
		if (strstr(list, want))
			continue;
		if (cg_writef(dir, "cgroup.subtree_control", &e, "+%s", c) < 0)
			log_debug("enable %s: %s", c, e.msg);
	}
}

int cg_v2_create_dir(struct cgroup_manager *m, bool enable_controllers, struct berth_error *err)
{
	size_t before = m->n_v2_created;

	if (cg_mkdir_p(m->v2_mount, m->v2_rel, &m->v2_created, &m->n_v2_created, err) < 0)
		return -1;
	bool leaf_made =
	    m->n_v2_created > before && !strcmp(m->v2_created[m->n_v2_created - 1], m->v2_dir);
	if (!leaf_made && cg_check_unused(m->v2_dir, err) < 0)
		return -1;
	if (enable_controllers) {
		/* every ancestor from the mount down to the parent must delegate */
		_cleanup_free_ char *p = strdup(m->v2_dir);
		size_t mlen = strlen(m->v2_mount);

		if (!p)
			return berr_sys(err, ENOMEM, "mkdir %s", m->v2_dir);
		for (size_t i = mlen; p[i]; i++) {
			if (p[i] != '/')
				continue;
			p[i] = '\0';
			delegate_controllers(p);
			p[i] = '/';
		}
	}
	m->v2_usable = true;
	return 0;
}

int cg_v2_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err)
{
	if (m->v2_born_there)
		return 0;
	return cg_writef(m->v2_dir, "cgroup.procs", err, "%d", (int)pid);
}

int cg_v2_destroy(struct cgroup_manager *m, struct berth_error *err)
{
	struct berth_error e;

	if (!m->v2_dir)
		return 0;
	if (cg_kill_dir(m->v2_dir, SIGKILL, true, &e) < 0)
		log_debug("kill leftovers in %s: %s", m->v2_dir, e.msg);
	if (m->v2_fd >= 0) {
		close(m->v2_fd);
		m->v2_fd = -1;
	}
	if (m->n_v2_created)
		cg_remove_created(&m->v2_created, &m->n_v2_created);
	return cg_rmdir_tree(m->v2_dir, err); /* gone already: fine */
}

static int v2_create(struct cgroup_manager *m, const struct berth_resources *r,
		     struct berth_error *err)
{
	struct berth_error e;

	if (cg_refuse_frozen(NULL, m->v2_dir, err) < 0)
		return -1;
	if (cg_v2_create_dir(m, true, err) < 0 || cg_v2_apply(m, r, false, err) < 0) {
		if (cg_v2_destroy(m, &e) < 0)
			log_debug("cleanup: %s", e.msg);
		return -1;
	}
	return 0;
}

static int v2_update(struct cgroup_manager *m, const struct berth_resources *r,
		     struct berth_error *err)
{
	return cg_v2_apply(m, r, true, err);
}

static int v2_freeze(struct cgroup_manager *m, bool frozen, struct berth_error *err)
{
	return cg_freeze_v2(m->v2_dir, frozen, err);
}

static int v2_is_frozen(struct cgroup_manager *m, bool *frozen, struct berth_error *err)
{
	return cg_is_frozen_v2(m->v2_dir, frozen, err);
}

static int v2_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, struct berth_error *err)
{
	return cg_read_procs(m->v2_dir, true, pids, n, err);
}

static int v2_kill_all(struct cgroup_manager *m, int sig, struct berth_error *err)
{
	return cg_kill_dir(m->v2_dir, sig, true, err);
}

static int v2_stats(struct cgroup_manager *m, struct cgroup_stats *st, struct berth_error *err)
{
	return cg_stats_v2(m->v2_dir, st, err);
}

static int v2_oom_count(struct cgroup_manager *m, uint64_t *count, struct berth_error *err)
{
	if (cg_read_keyed(m->v2_dir, "memory.events", "oom_kill", count) < 0)
		return berr_set(err, "read %s/memory.events: no oom_kill counter", m->v2_dir);
	return 0;
}

const struct cg_driver cg_driver_v2 = {
    .id = CGROUP_DRIVER_V2,
    .create = v2_create,
    .add_pid = cg_v2_add_pid,
    .update = v2_update,
    .freeze = v2_freeze,
    .is_frozen = v2_is_frozen,
    .pids = v2_pids,
    .kill_all = v2_kill_all,
    .stats = v2_stats,
    .destroy = cg_v2_destroy,
    .oom_count = v2_oom_count,
};
