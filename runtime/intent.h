/* intent.h - the write-ahead record of what `create` makes, kept in
 * <root>/<id>/intent beside state.json.
 *
 * A runtime can be SIGKILLed at any moment (an engine's timeout). Before
 * create makes a cgroup it appends the cgroup's driver and path here, and as
 * soon as the init exists its pid and start time, so that `delete -f` finds
 * and removes everything even when state.json was never written or is
 * corrupt. One JSON object per line, each appended with one write(): a line
 * cut short by a kill does not parse and is skipped; what it would have
 * recorded was not made yet. */
#ifndef BERTH_INTENT_H
#define BERTH_INTENT_H

#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/error.h"

#define INTENT_FILE "intent"

struct intent {
	char *rootfs; /* for the mounts of a container without a mount namespace */
	enum cgroup_driver cgroup_driver; /* CGROUP_DRIVER_NONE when no cgroup was recorded */
	char *cgroup_path;
	pid_t pid; /* 0 when no init line was recorded */
	uint64_t start_time;
};

/* Append "this rootfs is used, this cgroup is about to be made" (before any
 * mkdir; driver disabled or path "" record no cgroup). Again when the
 * path changes (systemd names it only once the unit exists). The driver is
 * written as its name. */
int intent_record_cgroup(int dir_fd, const char *rootfs, enum cgroup_driver driver,
			 const char *path, struct berth_error *err);
/* Append "this is the init" (right after the clone, before anything else). */
int intent_record_init(int dir_fd, pid_t pid, uint64_t start_time, struct berth_error *err);
/* Read back every line that parses; a missing file is an empty intent. */
int intent_read(int dir_fd, struct intent *out, struct berth_error *err);
void intent_clear(struct intent *in);

#endif
