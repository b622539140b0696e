/* rootfs.h - the container's root filesystem, from the bind of the rootfs
 * onto itself to pivot_root and the masks after it.
 *
 * The top-level sequence only; each step lives in its own module (mounts,
 * devices, masks, safepath). Called once, in the container init child.
 *
 * Never: touch a host path other than the rootfs itself, the host's
 * /dev/null (checked), and the bind sources the config names.
 *
 * The public header of rootfs/: the parts other layers use come with it. */
#ifndef BERTH_ROOTFS_H
#define BERTH_ROOTFS_H

#include <stdbool.h>

#include "hostmount.h" /* mounts of a container without a mount namespace, taken off the host */
#include "libcontainer/config/config.h"
#include "libcontainer/error.h"
#include "mount_options.h" /* the spec's mount option names */
#include "procfs.h"	   /* checked writes and opens under /proc */
#include "safepath.h"	   /* paths resolved inside a root, by fd */

struct rootfs_config {
	const struct berth_spec *spec;
	const char *rootfs; /* absolute canonical host path of the root filesystem */
	bool no_pivot;	    /* --no-pivot: MS_MOVE + chroot instead of pivot_root */
	/* No mount namespace of its own (as runc allows): every mount is made
	 * in the host's namespace, under the rootfs only; / keeps its
	 * propagation, no pivot_root (chroot), nothing of the host detached. */
	bool host_mountns;
	bool in_userns; /* container has its own user namespace: no mknod, bind devices from host */
	int console_fd; /* pty slave to bind on /dev/console, or -1 */
	/* createContainer hooks, run after mounts and before pivot_root; may be NULL */
	int (*before_pivot)(void *arg, struct berth_error *err);
	void *before_pivot_arg;
	/* before the first cgroup/cgroup2 mount, with before_pivot_arg; may be NULL */
	int (*before_cgroup_mount)(void *arg, struct berth_error *err);
};

/* Called in the container init child, already inside its new mount namespace (and user namespace,
 * if any), with host paths still visible. Does, in order: set / propagation (MS_SLAVE|MS_REC by
 * default, or linux.rootfsPropagation), bind the rootfs onto itself, every entry of spec->mounts in
 * order, /dev defaults (when a tmpfs is mounted at /dev) and linux.devices, /dev/console, the
 * before_pivot callback, pivot_root (or MS_MOVE+chroot), then maskedPaths, readonlyPaths, and
 * root.readonly; leaves cwd at "/" of the new root.
 * Relative bind sources are opened relative to the cwd (the bundle, as runc). */
int rootfs_setup(const struct rootfs_config *cfg, struct berth_error *err);

/* After rootfs_setup: bind the pty slave on /dev/console of the current
 * root, after checking it is a pty of the container's devpts. */
int rootfs_bind_console(int console_fd, struct berth_error *err);

#endif
