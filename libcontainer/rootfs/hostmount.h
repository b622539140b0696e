/* hostmount.h - taking a container's rootfs mounts off the host again.
 *
 * A container without a mount namespace (runc runs those) has its rootfs
 * bound onto itself, and its /proc, /dev, ... mounted below, in the host's
 * own mount namespace. runc 1.1.5 leaves all of that behind, even when the
 * container fails to start; berth notes which mount the rootfs path showed
 * before create and detaches whatever was stacked on it since: on a failed
 * create and at delete.
 *
 * Never: unmount the mount that was there before (the engine's overlay,
 * say), or anything by a path string that could be swapped: the mount is
 * taken through an fd of it. */
#ifndef BERTH_HOSTMOUNT_H
#define BERTH_HOSTMOUNT_H

#include <stdint.h>

#include "libcontainer/error.h"

/* The id of the topmost mount at path (as statx STATX_MNT_ID, or
 * /proc/self/fdinfo on kernels before 5.8). */
int hostmount_id(const char *path, uint64_t *id, struct berth_error *err);

/* Detach (MNT_DETACH, with everything below it) each mount stacked on path
 * above the one whose id was base_id. Returns how many were detached. */
int hostmount_detach_above(const char *path, uint64_t base_id, struct berth_error *err);

#endif
