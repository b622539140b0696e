/* criu_images.h - the image/work directories and descriptors.json that
 * checkpoint.c and restore.c share (internal to runtime/). */
#ifndef BERTH_RUNTIME_CRIU_IMAGES_H
#define BERTH_RUNTIME_CRIU_IMAGES_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "checkpoint.h"
#include "libcontainer/criu/criu.h"

struct container;
struct cgroup_manager;

struct criu_dirs {
	char image_path[PATH_MAX];
	char work_path[PATH_MAX]; /* "" when none was given */
	int image_fd;
	int work_fd; /* -1 when none was given */
};

/* --image-path, or ./checkpoint. */
int criu_image_path(const struct criu_flags *f, char *buf, size_t len, struct berth_error *err);
/* Open (and with `create`, make: checkpoint) the image dir and the work dir. */
int criu_dirs_open(const struct criu_flags *f, bool create, struct criu_dirs *d,
		   struct berth_error *err);
void criu_dirs_close(struct criu_dirs *d);
/* Where CRIU writes `log` ("dump.log"): the work dir, else the image dir. */
void criu_dirs_log_path(const struct criu_dirs *d, const char *log, char *buf, size_t len);
/* The flags both commands share, the dirs and the log file name. */
int criu_request_set_flags(struct criu_request *r, const struct criu_flags *f,
			   const struct criu_dirs *d, const char *log, struct berth_error *err);
/* The first line of a saved cgroup path (v1 adds "ctrl:path" lines). */
void criu_cgroup_primary(const char *saved, char *buf, size_t len);
/* CRIU takes the cgroup and its freezer from cgroup2 (true) or from the v1
 * hierarchies: asked of the container's cgroup manager, since the systemd
 * driver runs on both kinds of host. */
bool criu_cgroup_v2(const struct container *c);
/* v1/hybrid: the container's per-hierarchy cgroup binds (from its manager,
 * `m`) as external mounts of `r`; nothing on v2 or without a manager. */
int criu_add_cgroup_binds(struct criu_request *r, const struct berth_spec *spec,
			  const struct cgroup_manager *m, struct berth_error *err);
/* Where the v1 freezer hierarchy is mounted ("/sys/fs/cgroup/freezer"). */
const char *criu_freezer_mount(const struct cgroup_manager *m);

/* descriptors.json: what the init's fds 0-2 pointed to, as runc writes it. */
int criu_descriptors_write(int image_fd, pid_t pid, struct berth_error *err);
/* The three entries (NULL where missing); free() each. */
int criu_descriptors_read(const char *image_path, char *out[3], struct berth_error *err);

#endif
