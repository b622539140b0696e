/* mounts.h - performing one config.json "mounts" entry inside the rootfs.
 *
 * Every destination is resolved (and created) inside the rootfs by fd with
 * safepath; the mount is made on that checked fd, never on a path string.
 * Bind mounts are cloned with open_tree, their attributes set on the
 * detached clone with mount_setattr (so locked flags of the source are kept
 * and nothing is ever visible with the wrong flags), then attached with
 * move_mount. Other filesystems are made the same way: fsopen/fsconfig/
 * fsmount give a detached mount, tmpcopyup and the recursive attributes are
 * applied to it through its own fd while nothing else can reach it, then it
 * is attached on the checked fd and its propagation set through that same
 * fd. Where fsopen is refused (or for mand/silent/iversion, which fsconfig
 * has no name for) mount(2) on "/proc/self/fd/N" is the fallback, and its
 * fixups act only on the mount that mount(2) added, identified by mount id;
 * BERTH_MOUNT_FALLBACK=1 in the environment forces it (tests).
 *
 * After a mount, the destination's path is never resolved again to find
 * the new mount: whatever a rename put under that name meanwhile (another
 * directory of a shared volume, the rootfs) would get the copy, the
 * attributes and the propagation.
 *
 * Never: mount on a path that was not resolved inside the rootfs, bind a
 * source path over /proc files other than the few runc allows, or change
 * a host mount. Runs before pivot_root, while /proc is the host's. */
#ifndef BERTH_MOUNTS_H
#define BERTH_MOUNTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/mount.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

struct mounts_ctx {
	int rootfd;		 /* O_PATH|O_DIRECTORY of the rootfs */
	bool in_userns;		 /* the process is in a user namespace of the container */
	bool cgroupns;		 /* the container has its own cgroup namespace */
	const char *mount_label; /* SELinux context= for filesystems, NULL when unused */
	/* called before a cgroup mount reads /proc/self/cgroup; may be NULL */
	int (*before_cgroup)(void *arg, struct berth_error *err);
	void *before_cgroup_arg;
};

/* Perform mounts[index]. Errors name "mounts[i] (dest)". With late_ro
 * (may be NULL), a read-only new filesystem is attached read-write and an
 * fd of it is left in *late_ro (else -1) for the caller to make read-only
 * once what goes below it is made. */
int mounts_apply(const struct mounts_ctx *ctx, const struct berth_mount *m, size_t index,
		 int *late_ro, struct berth_error *err);

/* True when a read-only mounts[i] must wait for late_ro: it is /dev (the
 * devices are made in it) or a later entry mounts below it. runc makes
 * /dev read-only at the end in the same way. */
bool mounts_ro_waits(const struct berth_mount *mounts, size_t n, size_t i);

/* Clone `srcfd` (any fd, O_PATH fine) as a detached mount tree (recursive
 * when `recursive`), apply `attr` and `attr_rec` (either may be NULL) and
 * attach it on `dstfd`. Returns an fd of the attached mount (for later
 * propagation changes) or -1. */
int mounts_bind_fd(int srcfd, int dstfd, bool recursive, const struct mount_attr *attr,
		   const struct mount_attr *attr_rec, struct berth_error *err);

/* An empty tmpfs with mount attributes `attrs` (MOUNT_ATTR_*) attached on
 * dstfd; data ("mode=755,size=1k") may be NULL. Returns the mount's fd. */
int mounts_tmpfs_fd(int dstfd, uint64_t attrs, const char *data, struct berth_error *err);

/* True when the destination string is the container's /dev etc., with
 * repeated and trailing slashes ignored: paths_equal("/dev/", "/dev"). */
bool mounts_path_equal(const char *a, const char *b);

#endif
