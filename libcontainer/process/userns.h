/* userns.h - writing a new user namespace's uid/gid maps (and a new time
 * namespace's offsets) from the parent, which stays outside. */
#ifndef BERTH_USERNS_H
#define BERTH_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* Root callers write /proc/<pid>/{uid,gid}_map directly; other callers
 * write a map of their own single ID directly (after setgroups=deny) and
 * go through newuidmap/newgidmap for anything else. */
int userns_write_maps(pid_t pid, const struct berth_spec *spec, int procfd,
		      struct berth_error *err);
/* linux.timeOffsets into /proc/<pid>/timens_offsets, before the child execs. */
int timens_write_offsets(pid_t pid, const struct berth_spec *spec, int procfd,
			 struct berth_error *err);
/* True when the caller runs in a user namespace other than the initial one
 * (its uid_map is not the identity map of every id), as under rootless
 * podman: its root can't mknod and is an ordinary user outside. False when
 * /proc can't tell. */
bool userns_is_nested(void);
/* Format "cid hid size\n" lines; returns bytes written or -1 when too long. */
int userns_format_map(const struct berth_id_mapping *m, size_t n, char *buf, size_t len);

#endif
