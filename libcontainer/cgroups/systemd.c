/* systemd.c - the systemd cgroup driver (CGROUP_MANAGER_SYSTEMD): the container's
 * cgroup is a transient unit of systemd's, and the cgroup v2 code does the
 * rest inside it.
 *
 * systemd starts a scope only around a running process, so nothing exists
 * before the init is cloned: create() only remembers the limits, and the
 * first add_pid() starts the unit with Delegate=yes, the init's PID and the
 * limits systemd manages (systemd_props.c), waits for its job, and then
 * writes every limit to the unit's cgroup files as the v2 driver does (as
 * runc, so systemd's rounding never wins). Everything after that (exec,
 * pause, ps, kill, stats) is the v2 code on the unit's cgroup; destroy
 * stops the unit. The D-Bus talk is libexec/berth-systemd's. */
#include "cgroup_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

static bool is_user(const struct cgroup_manager *m)
{
	return m->drv == &cg_driver_systemd_user;
}

static int set_rel(char **rel, char **dir, const char *mount, const char *path)
{
	char *r = strdup(path), *d = cg_join(mount, path);

	if (!r || !d) {
		free(r);
		free(d);
		return -1;
	}
	free(*rel);
	free(*dir);
	*rel = r;
	*dir = d;
	return 0;
}

/* The unit's cgroup is the same path in every hierarchy systemd mounted. */
static int set_dir(struct cgroup_manager *m, const char *rel, struct berth_error *err)
{
	char *s = strdup(rel);

	if (!s || (m->v2_mount && set_rel(&m->v2_rel, &m->v2_dir, m->v2_mount, rel) < 0)) {
		free(s);
		return berr_sys(err, ENOMEM, "cgroup path");
	}
	for (size_t i = 0; i < m->n_hier; i++)
		if (set_rel(&m->hier[i].rel, &m->hier[i].dir, m->hier[i].mount, rel) < 0) {
			free(s);
			return berr_sys(err, ENOMEM, "cgroup path");
		}
	free(m->saved_path);
	m->saved_path = s;
	return 0;
}

/* The limits as properties, by the names of the hierarchy systemd manages. */
static int resource_props(const struct cgroup_manager *m, const struct berth_resources *r,
			  struct cg_sd_props *p, struct berth_error *err)
{
	if (m->n_hier)
		return cg_sd_resource_props_v1(r, p, err);
	return cg_sd_resource_props(r, p, err);
}

int cg_sd_manager_init(struct cgroup_manager *m, const struct cgroup_params *p,
		       struct berth_error *err)
{
	struct cg_sd_path sp;
	int rc = -1;

	/* cgroup.c swaps in systemd_v1.c's driver on v1 and hybrid hosts */
	m->drv = p->rootless ? &cg_driver_systemd_user : &cg_driver_systemd;
	if (cg_sd_path_parse(p->cgroups_path, p->id, p->rootless, &sp, err) < 0)
		return -1;
	if (cg_sd_annotation_props(p->annotations, p->n_annotations, &m->sd_extra, err) < 0)
		goto out;
	m->sd_unit = strdup(sp.unit);
	m->sd_slice = strdup(sp.slice);
	if (asprintf(&m->sd_desc, "berth container %s", p->id) < 0)
		m->sd_desc = NULL;
	if (!m->sd_unit || !m->sd_slice || !m->sd_desc) {
		berr_sys(err, ENOMEM, "systemd unit");
		goto out;
	}
	m->sd_is_slice = sp.is_slice;
	/* a user manager's units live below its own cgroup; the real path is
	 * read back from systemd once the unit runs */
	if (p->rootless) {
		_cleanup_free_ char *rel = NULL;
		unsigned uid = (unsigned)geteuid();

		if (asprintf(&rel, "/user.slice/user-%u.slice/user@%u.service%s", uid, uid,
			     sp.rel) < 0) {
			rel = NULL;
			berr_sys(err, ENOMEM, "cgroup path");
			goto out;
		}
		rc = set_dir(m, rel, err);
	} else {
		rc = set_dir(m, sp.rel, err);
	}
out:
	cg_sd_path_clear(&sp);
	return rc;
}

int cg_sd_manager_reopen(struct cgroup_manager *m, bool user, struct berth_error *err)
{
	const char *rel = m->v2_rel ? m->v2_rel : m->n_hier ? m->hier[0].rel : NULL;
	const char *base = rel ? strrchr(rel, '/') : NULL;

	if (!rel)
		return berr_set(err, "systemd cgroup driver: no cgroup hierarchy is mounted");
	m->drv = user ? &cg_driver_systemd_user : &cg_driver_systemd;
	m->sd_unit = strdup(base ? base + 1 : rel);
	if (!m->sd_unit)
		return berr_sys(err, ENOMEM, "systemd unit");
	m->sd_is_slice =
	    strlen(m->sd_unit) > 6 && !strcmp(m->sd_unit + strlen(m->sd_unit) - 6, ".slice");
	m->sd_started = true;
	/* hybrid: as cg_manager_make found the unified dir */
	if (!m->n_hier)
		m->v2_usable = true;
	return 0;
}

int cg_sd_create(struct cgroup_manager *m, const struct berth_resources *r, struct berth_error *err)
{
	/* checked here so a bad limit fails before anything runs */
	struct cg_sd_props probe = {0};
	int rc = resource_props(m, r, &probe, err);

	cg_sd_props_clear(&probe);
	m->sd_res = r;
	return rc;
}

static int start_props(struct cgroup_manager *m, pid_t pid, struct cg_sd_props *p,
		       struct berth_error *err)
{
	char pidbuf[16];
	struct cg_device_list l = {0};
	_cleanup_free_ char *devices = NULL;
	static const char *const accounting[] = {"MemoryAccounting", "CPUAccounting",
						 "TasksAccounting", "IOAccounting"};
	static const char *const accounting_v1[] = {"MemoryAccounting", "CPUAccounting",
						    "TasksAccounting", "BlockIOAccounting"};

	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)pid);
	if (cg_sd_props_add(p, "Description", "s", m->sd_desc ? m->sd_desc : m->sd_unit, err) < 0 ||
	    cg_sd_props_add(p, "DefaultDependencies", "b", "false", err) < 0)
		return -1;
	/* a slice's parent is in its name (systemd refuses Slice= there) and it
	 * holds no process itself: the PID is moved in afterwards */
	if (m->sd_is_slice) {
		if (cg_sd_props_add(p, "Wants", "as", m->sd_slice, err) < 0)
			return -1;
	} else if (cg_sd_props_add(p, "Slice", "s", m->sd_slice, err) < 0 ||
		   cg_sd_props_add(p, "Delegate", "b", "true", err) < 0 ||
		   cg_sd_props_add(p, "PIDs", "au", pidbuf, err) < 0) {
		return -1;
	}
	for (size_t i = 0; i < sizeof(accounting) / sizeof(accounting[0]); i++)
		if (cg_sd_props_add(p, m->n_hier ? accounting_v1[i] : accounting[i], "b", "true",
				    err) < 0)
			return -1;
	if (resource_props(m, m->sd_res, p, err) < 0)
		return -1;
	if (!m->rootless) {
		struct berth_error ignored;
		int rc;

		if (cg_read("/proc", "devices", &devices, &ignored) < 0)
			devices = NULL;
		if (cg_device_rules(m->sd_res, &l, err) < 0)
			return -1;
		rc = cg_sd_device_props(l.rules, l.n, devices ? devices : "", p, err);
		free(l.rules);
		if (rc < 0)
			return -1;
	}
	/* the annotations last: systemd takes the last value of a property */
	for (size_t i = 0; i < m->sd_extra.n; i++)
		if (cg_sd_props_add(p, m->sd_extra.v[i].name, m->sd_extra.v[i].type,
				    m->sd_extra.v[i].value, err) < 0)
			return -1;
	return 0;
}

int cg_sd_start_unit(struct cgroup_manager *m, pid_t pid, struct berth_error *err)
{
	struct cg_sd_props p = {0};
	_cleanup_free_ char *text = NULL;
	_cleanup_free_ char *cgroup = NULL;
	int rc = start_props(m, pid, &p, err);

	if (rc == 0) {
		text = cg_sd_props_text(&p);
		rc = text ? 0 : berr_sys(err, ENOMEM, "systemd properties");
	}
	cg_sd_props_clear(&p);
	if (rc < 0)
		return -1;
	if (cg_sd_helper(is_user(m), "start", m->sd_unit, text, &cgroup, err) < 0)
		return -1;
	m->sd_started = true;
	if (*cgroup == '/' && strcmp(cgroup, m->saved_path) != 0) {
		log_debug("systemd put %s at %s", m->sd_unit, cgroup);
		if (set_dir(m, cgroup, err) < 0)
			return -1;
	}
	/* hybrid: systemd tracks the unit in the unified hierarchy too */
	m->v2_usable = !m->n_hier || (m->v2_dir && cg_exists(m->v2_dir, "cgroup.procs"));
	return 0;
}

static int sd_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err)
{
	if (m->sd_started)
		return cg_v2_add_pid(m, pid, err);
	if (cg_sd_start_unit(m, pid, err) < 0)
		return -1;
	if (m->sd_is_slice && cg_writef(m->v2_dir, "cgroup.procs", err, "%d", (int)pid) < 0)
		return -1;
	/* every limit in the files too, exactly as asked (systemd rounds some) */
	return cg_v2_apply(m, m->sd_res, false, err);
}

int cg_sd_set_props(struct cgroup_manager *m, const struct berth_resources *r,
		    struct berth_error *err)
{
	struct cg_sd_props p = {0};
	_cleanup_free_ char *text = NULL;
	int rc = resource_props(m, r, &p, err);

	if (rc == 0 && p.n) {
		text = cg_sd_props_text(&p);
		rc = text ? cg_sd_helper(is_user(m), "set", m->sd_unit, text, NULL, err)
			  : berr_sys(err, ENOMEM, "systemd properties");
	}
	cg_sd_props_clear(&p);
	return rc;
}

static int sd_update(struct cgroup_manager *m, const struct berth_resources *r,
		     struct berth_error *err)
{
	if (cg_sd_set_props(m, r, err) < 0)
		return -1;
	return cg_v2_apply(m, r, true, err);
}

static int sd_freeze(struct cgroup_manager *m, bool frozen, struct berth_error *err)
{
	return cg_freeze_v2(m->v2_dir, frozen, err);
}

static int sd_is_frozen(struct cgroup_manager *m, bool *frozen, struct berth_error *err)
{
	return cg_is_frozen_v2(m->v2_dir, frozen, err);
}

static int sd_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, struct berth_error *err)
{
	return cg_read_procs(m->v2_dir, true, pids, n, err);
}

static int sd_kill_all(struct cgroup_manager *m, int sig, struct berth_error *err)
{
	return cg_kill_dir(m->v2_dir, sig, true, err);
}

static int sd_stats(struct cgroup_manager *m, struct cgroup_stats *st, struct berth_error *err)
{
	return cg_stats_v2(m->v2_dir, st, err);
}

static int sd_oom_count(struct cgroup_manager *m, uint64_t *count, struct berth_error *err)
{
	if (cg_read_keyed(m->v2_dir, "memory.events", "oom_kill", count) < 0)
		return berr_set(err, "read %s/memory.events: no oom_kill counter", m->v2_dir);
	return 0;
}

/* Kill what is left, stop the unit (gone already is fine), and remove the
 * cgroup should systemd have left it (e.g. sub-cgroups the container made). */
static int sd_destroy(struct cgroup_manager *m, struct berth_error *err)
{
	struct berth_error e;

	/* a unit this manager did not start (a clash with a running one) is not ours */
	if (!m->v2_dir || !m->sd_unit || !m->sd_started)
		return 0;
	if (cg_exists(m->v2_dir, "cgroup.procs") && cg_kill_dir(m->v2_dir, SIGKILL, true, &e) < 0)
		log_debug("kill leftovers in %s: %s", m->v2_dir, e.msg);
	if (m->v2_fd >= 0) {
		close(m->v2_fd);
		m->v2_fd = -1;
	}
	if (cg_sd_helper(is_user(m), "stop", m->sd_unit, NULL, NULL, &e) < 0) {
		if (cg_exists(m->v2_dir, "cgroup.procs")) {
			*err = e;
			return -1;
		}
		log_debug("%s", e.msg);
	}
	m->sd_started = false;
	return cg_rmdir_tree(m->v2_dir, err);
}

#define SYSTEMD_DRIVER(sym, driver)                                                                \
	const struct cg_driver sym = {                                                             \
	    .id = driver,                                                                          \
	    .create = cg_sd_create,                                                                \
	    .add_pid = sd_add_pid,                                                                 \
	    .update = sd_update,                                                                   \
	    .freeze = sd_freeze,                                                                   \
	    .is_frozen = sd_is_frozen,                                                             \
	    .pids = sd_pids,                                                                       \
	    .kill_all = sd_kill_all,                                                               \
	    .stats = sd_stats,                                                                     \
	    .destroy = sd_destroy,                                                                 \
	    .oom_count = sd_oom_count,                                                             \
	}

SYSTEMD_DRIVER(cg_driver_systemd, CGROUP_DRIVER_SYSTEMD);
/* the caller's own systemd instance on the user bus (rootless) */
SYSTEMD_DRIVER(cg_driver_systemd_user, CGROUP_DRIVER_SYSTEMD_USER);
