/* mounts_internal.h - what the files of the mounts module share among
 * themselves (mounts.c, mount_cgroup.c, mount_idmap.c, mount_tmpcopyup.c).
 * Not for other modules: they use mounts.h. */
#ifndef BERTH_MOUNTS_INTERNAL_H
#define BERTH_MOUNTS_INTERNAL_H

#include <linux/mount.h>
#include <stdbool.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"
#include "mount_options.h"
#include "mounts.h"

/* MS_* flags to set and to clear, as mount_setattr attributes. */
void mounts_flags_to_attr(unsigned long set, unsigned long clear, struct mount_attr *a);
bool mounts_attr_empty(const struct mount_attr *a);
/* The propagation the options ask for, on a mount's fd. */
int mounts_set_propagation(int mntfd, const struct mount_opts *o, struct berth_error *err);
/* The destination inside the rootfs, made when missing, checked to be a
 * directory (is_dir) or not, and not the rootfs itself. */
int mounts_open_dest(const struct mounts_ctx *ctx, const char *dest, bool is_dir, bool nofollow,
		     struct berth_error *err);

/* mount_cgroup.c: a "cgroup" (or "cgroup2") entry. */
int mounts_cgroup(const struct mounts_ctx *ctx, const struct berth_mount *m,
		  const struct mount_opts *o, struct berth_error *err);
/* mount_idmap.c: an fd of a user namespace with the mount's mappings. */
int mounts_idmap_userns(const struct berth_mount *m, struct berth_error *err);
/* mount_tmpcopyup.c: copy lowerfd's tree into the new tmpfs mntfd. */
int mounts_tmpcopyup(int lowerfd, int mntfd, const char *data, struct berth_error *err);

#endif
