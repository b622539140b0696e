/* container.h - a container as the state store knows it: load it by ID,
 * lock it, derive its status, save it.
 *
 * <root>/<id>/state.json holds the OCI state plus what berth needs to find
 * the container again (init start time, cgroup driver and path). Status is
 * never trusted from disk: it is derived from the init process, the exec
 * fifo and the cgroup freezer each time. */
#ifndef BERTH_CONTAINER_H
#define BERTH_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

enum container_status {
	CONTAINER_CREATING,
	CONTAINER_CREATED,
	CONTAINER_RUNNING,
	CONTAINER_PAUSED,
	CONTAINER_STOPPED,
};

struct container {
	char *root; /* state root, e.g. /run/berth */
	char *id;
	int dir_fd;	     /* <root>/<id>, O_DIRECTORY */
	int lock_fd;	     /* flock()ed while this struct is open with a lock */
	pid_t pid;	     /* init, as seen from the host; 0 when never started */
	uint64_t start_time; /* init's starttime from /proc/<pid>/stat, guards PID reuse */
	char *bundle;	     /* absolute */
	char *rootfs;	     /* absolute */
	char *created;	     /* RFC 3339 */
	char *owner;	     /* user name of the creator, for `list` */
	enum cgroup_driver cgroup_driver; /* CGROUP_DRIVER_NONE: none recorded */
	char *cgroup_path;
	bool systemd_cgroup;
	/* no (readable) state.json: pid and cgroup come from create's intent
	 * record (intent.h); the status is "creating" */
	bool incomplete;
	/* whether config.json has these hooks: start/delete re-read it only then */
	bool has_poststart;
	bool has_poststop;
	struct berth_kv *annotations;
	size_t n_annotations;
	struct cgroup_manager *cgroup; /* opened from cgroup_driver + cgroup_path, may be NULL */
};

/* Open <root>/<id> and read state.json; takes the container's lock when
 * `lock` is true. Fails with "container <id> does not exist" (engines match
 * that text) when there is no such container. */
int container_open(const char *root, const char *id, bool lock, struct container **out,
		   struct berth_error *err);
/* For `delete -f` when container_open fails on a corrupt state.json:
 * lock <root>/<id> and take the init and cgroup from create's intent
 * record alone. */
int container_open_salvage(const char *root, const char *id, struct container **out,
			   struct berth_error *err);
void container_close(struct container *c);

/* Derive the status now. */
enum container_status container_status(const struct container *c);
const char *container_status_name(enum container_status s); /* "created", "running", ... */

/* Write state.json atomically (temp file + rename). */
int container_save(const struct container *c, struct berth_error *err);

/* The OCI state document (state-schema.json) as a JSON string; free() it. */
char *container_state_json(const struct container *c, struct berth_error *err);
/* The same as a jansson object (for `list --format json`). */
json_t *container_state_object(const struct container *c);

/* Validate an ID: non-empty, at most 1024 bytes, [A-Za-z0-9_.+-], not "." or "..". */
int container_id_validate(const char *id, struct berth_error *err);

#endif
