/* v1.c - the cgroup v1 driver: one directory per mounted controller
 * hierarchy, each holding that controller's limits; the freezer hierarchy
 * holds the freeze state.
 *
 * Its building blocks are shared with hybrid.c. Only ever writes in the
 * container's directories, and into empty cpuset.cpus/mems of its ancestors
 * (filled from their parents, as runc does). */
#include "cgroup_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

/* A v1 cpuset cgroup starts with empty cpus/mems and refuses tasks until
 * they are set. Like runc, fill every empty one from its parent, top down
 * from the hierarchy's root to the container's: that covers the dirs we
 * made and an existing parent nobody filled (a fresh pod cgroup). */
static int cpuset_fill(const char *parent, const char *dir, struct berth_error *err)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};

	for (size_t f = 0; f < sizeof(files) / sizeof(*files); f++) {
		_cleanup_free_ char *cur = NULL;
		_cleanup_free_ char *val = NULL;

		if (cg_read(dir, files[f], &cur, err) < 0)
			return -1;
		if (*cur)
			continue;
		if (cg_read(parent, files[f], &val, err) < 0 ||
		    cg_write(dir, files[f], val, err) < 0)
			return -1;
	}
	return 0;
}

static int cpuset_inherit(struct cg_hier *h, struct berth_error *err)
{
	_cleanup_free_ char *path = strdup(h->dir);
	size_t root_len = strlen(h->mount);

	if (!path)
		return berr_sys(err, ENOMEM, "cpuset %s", h->dir);
	/* path[..end] is a cgroup, path[..prev] its parent */
	size_t prev = root_len;
	for (size_t end = root_len + 1; end <= strlen(h->dir); end++) {
		if (h->dir[end] != '/' && h->dir[end] != '\0')
			continue;
		char *parent = strndup(h->dir, prev);
		path[end] = '\0';
		int r = parent ? cpuset_fill(parent, path, err) : berr_sys(err, ENOMEM, "cpuset");
		free(parent);
		path[end] = h->dir[end];
		if (r < 0)
			return -1;
		prev = end;
	}
	return 0;
}

int cg_v1_create_dirs(struct cgroup_manager *m, bool must_be_unused, struct berth_error *err)
{
	for (size_t i = 0; i < m->n_hier; i++) {
		struct cg_hier *h = &m->hier[i];
		size_t before = h->n_created;

		if (cg_mkdir_p(h->mount, h->rel, &h->created, &h->n_created, err) < 0)
			return -1;
		bool leaf_made =
		    h->n_created > before && !strcmp(h->created[h->n_created - 1], h->dir);
		if (must_be_unused && !leaf_made && cg_check_unused(h->dir, err) < 0)
			return -1;
		if (cg_list_has(h->controllers, "cpuset") && cpuset_inherit(h, err) < 0)
			return berr_prefix(err, "cpuset");
	}
	return 0;
}

int cg_v1_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err)
{
	if (m->v1_self_join)
		return 0;
	for (size_t i = 0; i < m->n_hier; i++)
		if (cg_writef(m->hier[i].dir, "cgroup.procs", err, "%d", (int)pid) < 0)
			return -1;
	return 0;
}

/* The hierarchy whose cgroup.procs lists the container's processes. */
static const char *procs_dir(struct cgroup_manager *m)
{
	static const char *const pref[] = {"freezer", "pids", "memory", "devices"};
	struct cg_hier *h;

	for (size_t i = 0; i < sizeof(pref) / sizeof(*pref); i++)
		if ((h = cg_v1_hier(m, pref[i])))
			return h->dir;
	return m->n_hier ? m->hier[0].dir : NULL;
}

int cg_v1_destroy(struct cgroup_manager *m, struct berth_error *err)
{
	const char *pdir = procs_dir(m);
	struct berth_error e;
	int ret = 0;

	if (pdir) {
		struct cg_hier *fz = cg_v1_hier(m, "freezer");

		if (cg_kill_dir(fz ? fz->dir : pdir, SIGKILL, false, &e) < 0)
			log_debug("kill leftovers in %s: %s", pdir, e.msg);
	}
	for (size_t i = 0; i < m->n_hier; i++) {
		struct cg_hier *h = &m->hier[i];

		if (h->n_created)
			cg_remove_created(&h->created, &h->n_created);
		if (cg_rmdir_tree(h->dir, ret < 0 ? &e : err) < 0)
			ret = -1;
	}
	return ret;
}

static int v1_create(struct cgroup_manager *m, const struct berth_resources *r,
		     struct berth_error *err)
{
	struct berth_error e;

	struct cg_hier *fz = cg_v1_hier(m, "freezer");

	if (cg_unified_check(NULL, r, err) < 0 ||
	    cg_refuse_frozen(fz ? fz->dir : NULL, NULL, err) < 0)
		return -1;
	if (cg_v1_create_dirs(m, true, err) < 0 || cg_v1_apply(m, r, false, err) < 0) {
		if (cg_v1_destroy(m, &e) < 0)
			log_debug("cleanup: %s", e.msg);
		return -1;
	}
	return 0;
}

static int v1_update(struct cgroup_manager *m, const struct berth_resources *r,
		     struct berth_error *err)
{
	if (cg_unified_check(NULL, r, err) < 0)
		return -1;
	return cg_v1_apply(m, r, true, err);
}

static const char *freezer_dir(struct cgroup_manager *m, struct berth_error *err)
{
	struct cg_hier *h = cg_v1_hier(m, "freezer");

	if (!h) {
		berr_set(err, "the cgroup v1 freezer controller is not mounted on this host");
		return NULL;
	}
	return h->dir;
}

int cg_v1_freeze(struct cgroup_manager *m, bool frozen, struct berth_error *err)
{
	const char *dir = freezer_dir(m, err);

	return dir ? cg_freeze_v1(dir, frozen, err) : -1;
}

int cg_v1_is_frozen(struct cgroup_manager *m, bool *frozen, struct berth_error *err)
{
	const char *dir = freezer_dir(m, err);

	return dir ? cg_is_frozen_v1(dir, frozen, err) : -1;
}

int cg_v1_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, struct berth_error *err)
{
	const char *dir = procs_dir(m);

	if (!dir)
		return berr_set(err, "no cgroup v1 hierarchy is mounted");
	return cg_read_procs(dir, true, pids, n, err);
}

static int v1_kill_all(struct cgroup_manager *m, int sig, struct berth_error *err)
{
	struct cg_hier *fz = cg_v1_hier(m, "freezer");
	const char *dir = fz ? fz->dir : procs_dir(m);

	if (!dir)
		return berr_set(err, "no cgroup v1 hierarchy is mounted");
	return cg_kill_dir(dir, sig, false, err);
}

int cg_v1_oom_count(struct cgroup_manager *m, uint64_t *count, struct berth_error *err)
{
	struct cg_hier *h = cg_v1_hier(m, "memory");

	if (!h || cg_read_keyed(h->dir, "memory.oom_control", "oom_kill", count) < 0)
		return berr_set(err, "no memory.oom_control oom_kill counter");
	return 0;
}

const struct cg_driver cg_driver_v1 = {
    .id = CGROUP_DRIVER_V1,
    .create = v1_create,
    .add_pid = cg_v1_add_pid,
    .update = v1_update,
    .freeze = cg_v1_freeze,
    .is_frozen = cg_v1_is_frozen,
    .pids = cg_v1_pids,
    .kill_all = v1_kill_all,
    .stats = cg_stats_v1,
    .destroy = cg_v1_destroy,
    .oom_count = cg_v1_oom_count,
};
