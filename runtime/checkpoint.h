/* checkpoint.h - `checkpoint` and `restore`: a running container saved to
 * CRIU images, and a container made again from them (under any ID).
 *
 * The image directory holds CRIU's images plus descriptors.json (the
 * init's stdio as the host saw it, runc's format), so images move between
 * berth and runc. Nothing here prints. */
#ifndef BERTH_RUNTIME_CHECKPOINT_H
#define BERTH_RUNTIME_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "libcontainer/error.h"
#include "lifecycle.h"

/* What checkpoint and restore share. */
struct criu_flags {
	const char *image_path; /* NULL: ./checkpoint */
	const char *work_path;	/* NULL: the image dir */
	bool tcp_established, ext_unix_sk, shell_job, file_locks, lazy_pages, auto_dedup;
	const char *manage_cgroups_mode; /* NULL, "soft", "full", "strict", "ignore" */
	uint32_t empty_ns;		 /* CLONE_NEW* flags from --empty-ns */
};

struct checkpoint_opts {
	const char *id;
	struct criu_flags f;
	const char *parent_path; /* relative to the image path */
	bool leave_running;
	bool pre_dump;
	int status_fd; /* -1: none */
	/* the pages go to a CRIU page server there instead (NULL: none) */
	const char *page_server_address;
	int page_server_port;
};

struct restore_opts {
	struct create_opts c; /* id, bundle, console socket, pid file, no-pivot */
	struct criu_flags f;
	bool detach;
	const char *lsm_profile;
	const char *lsm_mount_context;
};

/* "Container cannot be checkpointed in <state> state" unless running or
 * paused. Without --leave-running or --pre-dump the container is gone
 * afterwards (processes, cgroup, state), as with runc. */
int runtime_checkpoint(const struct runtime_opts *ro, const struct checkpoint_opts *o,
		       struct berth_error *err);
/* Returns the container's exit status when not detached, else 0. */
int runtime_restore(const struct runtime_opts *ro, const struct restore_opts *o,
		    struct berth_error *err);

/* --empty-ns NAME -> its CLONE_NEW* flag; runc takes only "network". */
int criu_parse_empty_ns(const char *name, uint32_t *flags, struct berth_error *err);
/* "soft" ... -> enum criu_cg_mode value; -1 when not one of them. */
int criu_parse_cg_mode(const char *name);

#endif
