/* host_rootfs.h - a container without a mount namespace: what create notes
 * in <root>/<id> before its init mounts anything in the host's namespace,
 * and what a failed create or delete takes away with it (see
 * libcontainer/hostmount.h). */
#ifndef BERTH_HOST_ROOTFS_H
#define BERTH_HOST_ROOTFS_H

#include <stdbool.h>
#include <stdint.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

#define STATE_HOST_ROOTFS "host-rootfs-mount"

/* True when the config has no mount namespace (neither new nor joined). */
bool host_rootfs_needed(const struct berth_spec *spec);
/* Refuses what needs a mount namespace, in runc's words (maskedPaths,
 * readonlyPaths), then writes the id of the mount rootfs shows now. */
int host_rootfs_note(int dir_fd, const struct berth_spec *spec, const char *rootfs,
		     struct berth_error *err);
/* Detach what was mounted on rootfs since the note; nothing without one. */
int host_rootfs_release(int dir_fd, const char *rootfs, struct berth_error *err);

#endif
