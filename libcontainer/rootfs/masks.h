/* masks.h - linux.maskedPaths and linux.readonlyPaths, after pivot_root.
 *
 * A masked file gets a bind of /dev/null; the /dev/null used is opened and
 * checked to be the real character device 1:3 first, and the bind is made
 * from that fd (CVE-2025-31133 class: a /dev/null swapped for a symlink to a
 * procfs file would otherwise "mask" by exposing). A masked directory gets
 * a read-only empty tmpfs. A read-only path is bound onto itself
 * recursively and made read-only. Paths are opened inside the root by fd;
 * missing ones are skipped, as runc does.
 *
 * Never: resolve a path outside the root, mount from an unchecked fd, or
 * rely on the container's /proc to name an fd. */
#ifndef BERTH_MASKS_H
#define BERTH_MASKS_H

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* Open <root>/dev/null (inside the root, not following a symlink there) and
 * check it is the character device 1:3. Returns an O_PATH fd. Call it
 * before anything of the container's (hooks) can run, and before
 * pivot_root: the fd stays valid and on a mount of the new root. */
int masks_open_null(int rootfd, struct berth_error *err);

/* Mask every path of maskedPaths under rootfd, binding nullfd on files. */
int masks_apply_masked(int rootfd, int nullfd, char *const *paths, size_t n,
		       const char *mount_label, struct berth_error *err);
/* Make every path of readonlyPaths read-only, recursively. */
int masks_apply_readonly(int rootfd, char *const *paths, size_t n, struct berth_error *err);

#endif
