/* cgroup.h - the one cgroup interface of berth.
 *
 * A manager is built once per container: the driver (v2, v1, hybrid or
 * disabled) is detected when it is made and never changes; the container's
 * cgroup path is resolved then too. Every operation dispatches to that
 * driver's function table. The manager writes only inside the cgroup(s) it
 * resolved; it never mounts, never changes the host's hierarchies and never
 * prints (debug lines go through log_debug). */
#ifndef BERTH_CGROUP_H
#define BERTH_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"
#include "stats.h"

struct cgroup_manager;

/* The driver a container's cgroup is managed by. On disk (state.json, the
 * intent file) it is its name: cgroup_driver_name / cgroup_driver_from_name
 * convert, nothing else compares names. */
enum cgroup_driver {
	CGROUP_DRIVER_NONE,	    /* none recorded (no name): no cgroup is known */
	CGROUP_DRIVER_DISABLED,	    /* "disabled": the container runs without cgroups */
	CGROUP_DRIVER_V2,	    /* "v2" */
	CGROUP_DRIVER_V1,	    /* "v1" */
	CGROUP_DRIVER_HYBRID,	    /* "hybrid" */
	CGROUP_DRIVER_SYSTEMD,	    /* "systemd": a unit of the system's systemd */
	CGROUP_DRIVER_SYSTEMD_USER, /* "systemd-user": a unit of the caller's own systemd */
};
/* NULL for CGROUP_DRIVER_NONE. */
const char *cgroup_driver_name(enum cgroup_driver d);
/* Returns 0, or -1 when no driver has that name. */
int cgroup_driver_from_name(const char *name, enum cgroup_driver *out);
/* The cgroup is in the cgroup v2 hierarchy (v2 and both systemd drivers). */
bool cgroup_driver_is_v2(enum cgroup_driver d);
bool cgroup_driver_is_systemd(enum cgroup_driver d);

/* Which manager the caller asks for. */
enum cgroup_manager_kind {
	CGROUP_MANAGER_CGROUPFS, /* the host's hierarchies as detected: v2, v1 or hybrid */
	CGROUP_MANAGER_SYSTEMD,	 /* a transient systemd unit (v2; v1 and hybrid for root) */
	CGROUP_MANAGER_DISABLED, /* no cgroup at all */
};

/* berth_error.reason of a cgroup_manager_new() failure: the systemd manager
 * was asked for and can't work on this host (not built in, no systemd
 * running, rootless on a host without cgroup v2). The message says why; the caller may
 * point to another manager. */
#define CGROUP_ERR_SYSTEMD_UNUSABLE 1

struct cgroup_params {
	const char *id;			  /* container ID */
	const char *cgroups_path;	  /* linux.cgroupsPath, may be NULL/"" */
	enum cgroup_manager_kind manager; /* the caller's choice */
	bool rootless; /* caller is not root: lack of permission means "run without cgroups" */
	/* the systemd driver: org.systemd.property.* annotations become unit properties */
	const struct berth_kv *annotations;
	size_t n_annotations;
};

/* Detect the driver (v2 when /sys/fs/cgroup is cgroup2; hybrid when v1
 * controllers plus a cgroup2 at /sys/fs/cgroup/unified; v1; disabled) and
 * resolve the path as runc does: an absolute cgroupsPath is relative to each
 * hierarchy's root, a relative one to the caller's own cgroup, an empty one
 * is the container ID relative to the caller's own cgroup. Touches no file
 * (beyond reading /proc). The systemd manager fails with a clear message
 * (and CGROUP_ERR_SYSTEMD_UNUSABLE) when no systemd is running. */
struct cgroup_manager *cgroup_manager_new(const struct cgroup_params *p, struct berth_error *err);
/* Re-open from what state.json saved (driver and path as returned by
 * cgroup_manager_driver() / cgroup_manager_path()). */
struct cgroup_manager *cgroup_manager_open(enum cgroup_driver driver, const char *path,
					   struct berth_error *err);
/* Never CGROUP_DRIVER_NONE; CGROUP_DRIVER_DISABLED when the manager does nothing. */
enum cgroup_driver cgroup_manager_driver(const struct cgroup_manager *m);
/* The container's cgroup path, relative to each hierarchy's root ("/x/y"). */
const char *cgroup_manager_path(const struct cgroup_manager *m);

/* mkdir the cgroup(s) and write every limit before any process joins. A
 * clashing existing non-empty cgroup is an error. On failure nothing made
 * here is left behind. */
int cgroup_manager_create(struct cgroup_manager *m, const struct berth_resources *r,
			  struct berth_error *err);
/* v2 (and hybrid's unified part): an O_DIRECTORY fd of the cgroup for
 * clone3's CLONE_INTO_CGROUP; -1 when not applicable. Owned by the manager. */
int cgroup_manager_clone_fd(struct cgroup_manager *m);
/* An O_DIRECTORY fd (the caller's) of the cgroup v2 cgroup `pid` is in
 * (read through `procfd`, the host's /proc),
 * when that is below the container's (exec's fallback when the container
 * made its own cgroup an inner node); -1 otherwise. */
int cgroup_manager_open_cgroup_of(struct cgroup_manager *m, int procfd, pid_t pid);
/* Move a process in (every v1 hierarchy; v2 when it was not born there). */
int cgroup_manager_add_pid(struct cgroup_manager *m, pid_t pid, struct berth_error *err);
/* A child moving itself into the v1 hierarchies (see self_join.c): the
 * parent opens each "tasks" file, the child writes "0" to it, which spares
 * the parent's cgroup.procs write its RCU grace period. After a successful
 * open, cgroup_manager_add_pid leaves v1 to the child. n = 0: nothing to
 * do (v2, disabled). */
#define CGROUP_SELF_JOIN_MAX 32
struct cgroup_self_join {
	int fds[CGROUP_SELF_JOIN_MAX];
	const char *names[CGROUP_SELF_JOIN_MAX]; /* controllers, for messages */
	size_t n;
};
int cgroup_manager_open_self_join(struct cgroup_manager *m, struct cgroup_self_join *j,
				  struct berth_error *err);
/* In the (single-threaded) child: join, then close the fds. */
int cgroup_self_join(struct cgroup_self_join *j, struct berth_error *err);
void cgroup_self_join_close(struct cgroup_self_join *j);
/* For __attribute__((cleanup)): closes whatever is still open. */
#define _cleanup_self_join_ __attribute__((cleanup(cgroup_self_join_close)))
/* Apply new limits to an existing cgroup (berth update). */
int cgroup_manager_update(struct cgroup_manager *m, const struct berth_resources *r,
			  struct berth_error *err);
int cgroup_manager_freeze(struct cgroup_manager *m, bool frozen, struct berth_error *err);
int cgroup_manager_is_frozen(struct cgroup_manager *m, bool *frozen, struct berth_error *err);
/* Every PID in the cgroup (and its descendants); free(*pids). */
int cgroup_manager_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, struct berth_error *err);
int cgroup_manager_kill_all(struct cgroup_manager *m, int sig, struct berth_error *err);
/* The cgroup's counters (stats.h); cgroup_stats_free() them. Fails only
 * for lack of memory (then nothing is left to free). */
int cgroup_manager_stats(struct cgroup_manager *m, struct cgroup_stats *st,
			 struct berth_error *err);
/* Remove every directory it created in every hierarchy. Processes still
 * inside are SIGKILLed first. Missing directories are not an error. */
int cgroup_manager_destroy(struct cgroup_manager *m, struct berth_error *err);
void cgroup_manager_free(struct cgroup_manager *m);

/* ---- additions ---- */

/* The number of OOM kills seen in the cgroup (memory.events oom_kill on v2,
 * memory.oom_control oom_kill on v1), for `events` "oom" notifications. */
int cgroup_manager_oom_count(struct cgroup_manager *m, uint64_t *count, struct berth_error *err);
/* True when the manager does nothing (disabled driver, or rootless without
 * permission). */
bool cgroup_manager_is_disabled(const struct cgroup_manager *m);
/* True when the container's cgroup is one cgroup2 directory (the v2 driver,
 * systemd on a v2 host); false where v1 hierarchies hold controllers and
 * the freezer (v1, hybrid, systemd on those hosts) or there is no cgroup. */
bool cgroup_manager_v2_only(const struct cgroup_manager *m);
/* The i-th v1 hierarchy: its controllers ("cpu,cpuacct", "name=systemd"),
 * where the host mounts it and the container's directory in it; false past
 * the last (at once on v2-only and disabled managers). */
bool cgroup_manager_hierarchy(const struct cgroup_manager *m, size_t i, const char **controllers,
			      const char **mount, const char **dir);

#endif
