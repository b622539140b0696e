/* cgroup.c - the public cgroup manager: picks the driver once, resolves and
 * saves the container's cgroup path, and dispatches every operation to the
 * driver's function table.
 *
 * The saved path (state.json) is the container's cgroup relative to each
 * hierarchy's root: "/x/y" when it is the same in every hierarchy, else
 * "/x/y" followed by "\n<controllers>:<path>" for each hierarchy that
 * differs (a relative cgroupsPath lands below the caller's own cgroup,
 * which can differ per v1 hierarchy). Never mounts; a manager made here
 * touches no cgroup file until cgroup_manager_create(). */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

static const struct cg_driver *driver_of(enum cg_kind kind)
{
	switch (kind) {
	case CG_KIND_V2:
		return &cg_driver_v2;
	case CG_KIND_V1:
		return &cg_driver_v1;
	case CG_KIND_HYBRID:
		return &cg_driver_hybrid;
	default:
		return &cg_driver_disabled;
	}
}

static int set_rel(char **rel, char **dir, const char *mount, const char *path)
{
	free(*rel);
	free(*dir);
	*rel = strdup(path);
	*dir = cg_join(mount, path);
	return *rel && *dir ? 0 : -1;
}

/* Split a saved path into the primary path and per-hierarchy overrides. */
static int decode_path(struct cgroup_manager *m, const char *saved, struct berth_error *err)
{
	_cleanup_free_ char *copy = strdup(saved);
	char *save = NULL;
	char *primary;

	if (!copy)
		return berr_sys(err, ENOMEM, "cgroup path");
	primary = strtok_r(copy, "\n", &save);
	if (!primary || primary[0] != '/' || !strcmp(primary, "/"))
		return berr_set(err, "invalid saved cgroup path \"%s\"", saved);
	if (m->v2_mount && set_rel(&m->v2_rel, &m->v2_dir, m->v2_mount, primary) < 0)
		return berr_sys(err, ENOMEM, "cgroup path");
	for (size_t i = 0; i < m->n_hier; i++)
		if (set_rel(&m->hier[i].rel, &m->hier[i].dir, m->hier[i].mount, primary) < 0)
			return berr_sys(err, ENOMEM, "cgroup path");
	for (char *o = strtok_r(NULL, "\n", &save); o; o = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(o, ':');

		if (!colon || colon[1] != '/')
			return berr_set(err, "invalid saved cgroup path entry \"%s\"", o);
		*colon = '\0';
		for (size_t i = 0; i < m->n_hier; i++)
			if (!strcmp(m->hier[i].controllers, o) &&
			    set_rel(&m->hier[i].rel, &m->hier[i].dir, m->hier[i].mount, colon + 1) <
				0)
				return berr_sys(err, ENOMEM, "cgroup path");
	}
	return 0;
}

static int encode_path(struct cgroup_manager *m, struct berth_error *err)
{
	const char *primary = m->v2_rel ? m->v2_rel : (m->n_hier ? m->hier[0].rel : "/");
	size_t len = strlen(primary) + 1;
	char *s;

	for (size_t i = 0; i < m->n_hier; i++)
		if (strcmp(m->hier[i].rel, primary))
			len += strlen(m->hier[i].controllers) + strlen(m->hier[i].rel) + 2;
	s = malloc(len);
	if (!s)
		return berr_sys(err, ENOMEM, "cgroup path");
	strcpy(s, primary);
	for (size_t i = 0; i < m->n_hier; i++) {
		if (!strcmp(m->hier[i].rel, primary))
			continue;
		strcat(s, "\n");
		strcat(s, m->hier[i].controllers);
		strcat(s, ":");
		strcat(s, m->hier[i].rel);
	}
	free(m->saved_path);
	m->saved_path = s;
	return 0;
}

struct cgroup_manager *cg_manager_make(enum cg_kind kind, const struct cg_mounts *mnt,
				       const char *saved_path, struct berth_error *err)
{
	struct cgroup_manager *m = calloc(1, sizeof(*m));

	if (!m) {
		berr_sys(err, ENOMEM, "cgroup manager");
		return NULL;
	}
	m->v2_fd = -1;
	m->drv = driver_of(kind);
	if ((kind == CG_KIND_V2 || kind == CG_KIND_HYBRID) && mnt->v2_mount) {
		m->v2_mount = strdup(mnt->v2_mount);
		if (!m->v2_mount)
			goto nomem;
	}
	if (kind == CG_KIND_V1 || kind == CG_KIND_HYBRID) {
		m->hier = calloc(mnt->n_hier ? mnt->n_hier : 1, sizeof(*m->hier));
		if (!m->hier)
			goto nomem;
		m->n_hier = mnt->n_hier;
		for (size_t i = 0; i < mnt->n_hier; i++) {
			m->hier[i].controllers = strdup(mnt->hier[i].controllers);
			m->hier[i].mount = strdup(mnt->hier[i].mount);
			if (!m->hier[i].controllers || !m->hier[i].mount)
				goto nomem;
		}
	}
	if (saved_path && kind != CG_KIND_NONE) {
		if (decode_path(m, saved_path, err) < 0) {
			cgroup_manager_free(m);
			return NULL;
		}
		m->saved_path = strdup(saved_path);
		if (!m->saved_path)
			goto nomem;
		/* the unified dir of a hybrid container may not have been made */
		m->v2_usable = m->v2_dir && cg_exists(m->v2_dir, "cgroup.procs");
	}
	return m;
nomem:
	cgroup_manager_free(m);
	berr_sys(err, ENOMEM, "cgroup manager");
	return NULL;
}

static int resolve_paths(struct cgroup_manager *m, const struct cgroup_params *p,
			 struct berth_error *err)
{
	_cleanup_free_ char *self = NULL;

	if (cg_read("/proc/self", "cgroup", &self, err) < 0)
		return -1;
	if (m->v2_mount) {
		_cleanup_free_ char *own = cg_own_cgroup(self, "");
		_cleanup_free_ char *rel = cg_path_resolve(own, p->cgroups_path, p->id);

		if (!rel || set_rel(&m->v2_rel, &m->v2_dir, m->v2_mount, rel) < 0)
			return berr_set(err, "cannot resolve the cgroup path");
	}
	for (size_t i = 0; i < m->n_hier; i++) {
		_cleanup_free_ char *first =
		    strndup(m->hier[i].controllers, strcspn(m->hier[i].controllers, ","));
		_cleanup_free_ char *own = first ? cg_own_cgroup(self, first) : NULL;
		_cleanup_free_ char *rel = cg_path_resolve(own, p->cgroups_path, p->id);

		if (!rel || set_rel(&m->hier[i].rel, &m->hier[i].dir, m->hier[i].mount, rel) < 0)
			return berr_set(err, "cannot resolve the cgroup path");
	}
	/* the container's cgroup is never a hierarchy root, nor contains a newline
	 * (which separates entries of the saved path) */
	if ((m->v2_rel && !strcmp(m->v2_rel, "/")) || (m->n_hier && !strcmp(m->hier[0].rel, "/")))
		return berr_set(err,
				"linux.cgroupsPath \"%s\": the root cgroup cannot be a "
				"container's cgroup",
				p->cgroups_path ? p->cgroups_path : "");
	if (p->cgroups_path && strchr(p->cgroups_path, '\n'))
		return berr_set(err, "linux.cgroupsPath: must not contain a newline");
	return encode_path(m, err);
}

static int systemd_unusable(struct berth_error *err, const char *why)
{
	berr_set(err, "%s", why);
	err->reason = CGROUP_ERR_SYSTEMD_UNUSABLE;
	return -1;
}

static int check_systemd(const struct cgroup_params *p, struct berth_error *err)
{
	if (!BERTH_HAVE_SYSTEMD)
		return systemd_unusable(err,
					"the systemd cgroup driver is not in this build: berth "
					"was built without libsystemd (meson feature 'systemd'; "
					"install libsystemd-dev and rebuild)");
	if (cg_systemd_path_check(p->cgroups_path, err) < 0)
		return -1;
	if (access(CG_SYSTEMD_RUN_DIR, F_OK) < 0)
		return systemd_unusable(err, "systemd cgroup driver requested, but systemd is not "
					     "running on this host (no " CG_SYSTEMD_RUN_DIR ")");
	return 0;
}

/* A manager whose cgroup is a systemd unit: systemd.c on cgroup v2,
 * systemd_v1.c on v1 and hybrid hosts (not for a user's systemd there). */
static struct cgroup_manager *new_systemd(const struct cgroup_params *p, struct berth_error *err)
{
	struct cg_mounts mnt;
	struct cgroup_manager *m;
	enum cg_kind kind;

	if (check_systemd(p, err) < 0 || cg_detect(&mnt, err) < 0)
		return NULL;
	kind = mnt.kind;
	if (kind == CG_KIND_NONE || (kind != CG_KIND_V2 && p->rootless)) {
		cg_mounts_clear(&mnt);
		systemd_unusable(err, kind == CG_KIND_NONE
					  ? "the systemd cgroup driver: no cgroup hierarchy is "
					    "mounted"
					  : "the rootless systemd cgroup driver needs a cgroup v2 "
					    "host (systemd booted with the unified hierarchy)");
		return NULL;
	}
	m = cg_manager_make(kind, &mnt, NULL, err);
	cg_mounts_clear(&mnt);
	if (!m)
		return NULL;
	m->rootless = p->rootless;
	if (cg_sd_manager_init(m, p, err) < 0) {
		cgroup_manager_free(m);
		return NULL;
	}
	if (m->n_hier)
		m->drv = &cg_driver_systemd_v1;
	log_debug("cgroup driver %s, unit %s, path %s", cgroup_driver_name(m->drv->id), m->sd_unit,
		  m->saved_path);
	return m;
}

struct cgroup_manager *cgroup_manager_new(const struct cgroup_params *p, struct berth_error *err)
{
	struct cg_mounts mnt;
	struct cgroup_manager *m;

	if (p->manager == CGROUP_MANAGER_DISABLED)
		return cg_manager_make(CG_KIND_NONE, &(struct cg_mounts){0}, NULL, err);
	if (p->manager == CGROUP_MANAGER_SYSTEMD)
		return new_systemd(p, err);
	if (!p->id || !*p->id) {
		berr_set(err, "cgroup manager: a container ID is required");
		return NULL;
	}
	if (cg_detect(&mnt, err) < 0)
		return NULL;
	if (mnt.kind == CG_KIND_NONE)
		log_debug("no cgroup hierarchy is mounted: running without cgroups");
	m = cg_manager_make(mnt.kind, &mnt, NULL, err);
	cg_mounts_clear(&mnt);
	if (!m)
		return NULL;
	m->rootless = p->rootless;
	if (m->drv != &cg_driver_disabled && resolve_paths(m, p, err) < 0) {
		cgroup_manager_free(m);
		return NULL;
	}
	log_debug("cgroup driver %s, path %s", cgroup_driver_name(m->drv->id),
		  m->saved_path ? m->saved_path : "-");
	return m;
}

struct cgroup_manager *cgroup_manager_open(enum cgroup_driver driver, const char *path,
					   struct berth_error *err)
{
	struct cg_mounts mnt;
	struct cgroup_manager *m;
	enum cg_kind want;
	const char *name = cgroup_driver_name(driver);

	switch (driver) {
	case CGROUP_DRIVER_NONE:
	case CGROUP_DRIVER_DISABLED:
		return cg_manager_make(CG_KIND_NONE, &(struct cg_mounts){0}, NULL, err);
	case CGROUP_DRIVER_V1:
		want = CG_KIND_V1;
		break;
	case CGROUP_DRIVER_HYBRID:
		want = CG_KIND_HYBRID;
		break;
	case CGROUP_DRIVER_V2:
	case CGROUP_DRIVER_SYSTEMD:
	case CGROUP_DRIVER_SYSTEMD_USER:
		want = CG_KIND_V2;
		break;
	default:
		berr_set(err, "unknown cgroup driver %d", (int)driver);
		return NULL;
	}
	if (!path || !*path) {
		berr_set(err, "cgroup driver %s without a cgroup path in state", name);
		return NULL;
	}
	if (cg_detect(&mnt, err) < 0)
		return NULL;
	/* the system's systemd runs units on v1 and hybrid hosts too */
	if (driver == CGROUP_DRIVER_SYSTEMD &&
	    (mnt.kind == CG_KIND_V1 || mnt.kind == CG_KIND_HYBRID))
		want = mnt.kind;
	/* a v1 container on a host now seen as hybrid still only has v1 dirs */
	if (mnt.kind != want && !(want == CG_KIND_V1 && mnt.kind == CG_KIND_HYBRID)) {
		berr_set(err,
			 "cgroup driver \"%s\" saved in state does not match this host's "
			 "cgroups",
			 name);
		cg_mounts_clear(&mnt);
		return NULL;
	}
	m = cg_manager_make(want, &mnt, path, err);
	cg_mounts_clear(&mnt);
	if (m && cgroup_driver_is_systemd(driver) &&
	    cg_sd_manager_reopen(m, driver == CGROUP_DRIVER_SYSTEMD_USER, err) < 0) {
		cgroup_manager_free(m);
		return NULL;
	}
	if (m && cgroup_driver_is_systemd(driver) && m->n_hier)
		m->drv = &cg_driver_systemd_v1;
	return m;
}

static const struct cg_driver *drv(const struct cgroup_manager *m)
{
	return !m || m->degraded ? &cg_driver_disabled : m->drv;
}

enum cgroup_driver cgroup_manager_driver(const struct cgroup_manager *m)
{
	return drv(m)->id;
}

const char *cgroup_manager_path(const struct cgroup_manager *m)
{
	return m && m->saved_path ? m->saved_path : "";
}

bool cgroup_manager_is_disabled(const struct cgroup_manager *m)
{
	return drv(m) == &cg_driver_disabled;
}

bool cgroup_manager_v2_only(const struct cgroup_manager *m)
{
	return !cgroup_manager_is_disabled(m) && m->n_hier == 0 && m->v2_dir;
}

bool cgroup_manager_hierarchy(const struct cgroup_manager *m, size_t i, const char **controllers,
			      const char **mount, const char **dir)
{
	if (cgroup_manager_is_disabled(m) || i >= m->n_hier)
		return false;
	*controllers = m->hier[i].controllers;
	*mount = m->hier[i].mount;
	*dir = m->hier[i].dir;
	return true;
}

int cgroup_manager_create(struct cgroup_manager *m, const struct berth_resources *r,
			  struct berth_error *err)
{
	int e;

	if (drv(m)->create(m, r, err) == 0)
		return 0;
	e = err ? err->errnum : 0;
	if (m && m->rootless && (e == EACCES || e == EPERM || e == EROFS) &&
	    !cg_resources_requested(r)) {
		/* rootless without a delegated cgroup: run without one, as runc does */
		log_debug("rootless: no cgroup (%s)", err->msg);
		m->degraded = true;
		berr_clear(err);
		return 0;
	}
	return -1;
}

int cgroup_manager_clone_fd(struct cgroup_manager *m)
{
	if (drv(m) == &cg_driver_disabled || !m->v2_dir)
		return -1;
	if ((m->drv == &cg_driver_hybrid || m->drv == &cg_driver_systemd_v1) && !m->v2_usable)
		return -1;
	/* systemd makes the unit's cgroup around the init: it is born outside */
	if (m->sd_unit && !m->sd_started)
		return -1;
	int fd = cg_v2_open_fd(m);
	m->v2_born_there = fd >= 0;
	return fd;
}

int cgroup_manager_open_cgroup_of(struct cgroup_manager *m, int procfd, pid_t pid)
{
	_cleanup_free_ char *own = NULL;
	_cleanup_close_ int fd = -1;
	char path[32], text[4096];
	ssize_t n;
	size_t len;

	if (drv(m) == &cg_driver_disabled || !m->v2_rel || cg_v2_open_fd(m) < 0)
		return -1;
	/* by fd: the caller may already be in the container's mount namespace */
	snprintf(path, sizeof(path), "%d/cgroup", (int)pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = read(fd, text, sizeof(text) - 1)) <= 0)
		return -1;
	text[n] = '\0';
	own = cg_own_cgroup(text, "");
	len = strlen(m->v2_rel);
	/* strictly below the container's cgroup, never anywhere else */
	if (!own || strncmp(own, m->v2_rel, len) != 0 || own[len] != '/' || strstr(own, "/.."))
		return -1;
	return openat(m->v2_fd, own + len + 1, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
}

int cgroup_manager_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err)
{
	return drv(m)->add_pid(m, pid, err);
}

int cgroup_manager_update(struct cgroup_manager *m, const struct berth_resources *r,
			  struct berth_error *err)
{
	return drv(m)->update(m, r, err);
}

int cgroup_manager_freeze(struct cgroup_manager *m, bool frozen, struct berth_error *err)
{
	return drv(m)->freeze(m, frozen, err);
}

int cgroup_manager_is_frozen(struct cgroup_manager *m, bool *frozen, struct berth_error *err)
{
	return drv(m)->is_frozen(m, frozen, err);
}

int cgroup_manager_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, struct berth_error *err)
{
	return drv(m)->pids(m, pids, n, err);
}

int cgroup_manager_kill_all(struct cgroup_manager *m, int sig, struct berth_error *err)
{
	return drv(m)->kill_all(m, sig, err);
}

int cgroup_manager_stats(struct cgroup_manager *m, struct cgroup_stats *st, struct berth_error *err)
{
	return drv(m)->stats(m, st, err);
}

int cgroup_manager_destroy(struct cgroup_manager *m, struct berth_error *err)
{
	return drv(m)->destroy(m, err);
}

int cgroup_manager_oom_count(struct cgroup_manager *m, uint64_t *count, struct berth_error *err)
{
	return drv(m)->oom_count(m, count, err);
}

void cgroup_manager_free(struct cgroup_manager *m)
{
	if (!m)
		return;
	if (m->v2_fd >= 0)
		close(m->v2_fd);
	free(m->saved_path);
	free(m->v2_mount);
	free(m->v2_rel);
	free(m->v2_dir);
	cg_strv_free(m->v2_created, m->n_v2_created);
	for (size_t i = 0; i < m->n_hier; i++) {
		free(m->hier[i].controllers);
		free(m->hier[i].mount);
		free(m->hier[i].rel);
		free(m->hier[i].dir);
		cg_strv_free(m->hier[i].created, m->hier[i].n_created);
	}
	free(m->hier);
	free(m->sd_unit);
	free(m->sd_slice);
	free(m->sd_desc);
	cg_sd_props_clear(&m->sd_extra);
	free(m);
}
