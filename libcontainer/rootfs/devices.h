/* devices.h - the container's /dev: default nodes, linux.devices, the
 * standard symlinks and /dev/console.
 *
 * Nodes are made with mknodat in a directory fd resolved inside the rootfs,
 * or, where mknod is not allowed (a user namespace), bind-mounted from the
 * host node of the same path after checking that node is the device asked
 * for. The console is bound only after checking the fd is a pty slave of
 * the container's devpts (CVE-2025-52565 class).
 *
 * Never: create or chown anything outside the rootfs, follow a symlink
 * planted at a device path, or bind a console that is not a devpts pty. */
#ifndef BERTH_DEVICES_H
#define BERTH_DEVICES_H

#include <stdbool.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* When `dev_is_tmpfs`, the default devices (null zero full random urandom
 * tty), then linux.devices; /dev/ptmx -> pts/ptmx and the /dev/fd,
 * stdin/stdout/stderr, core symlinks. rootfd is the rootfs (O_PATH). */
int devices_setup(int rootfd, const struct berth_linux *lx, bool dev_is_tmpfs, bool in_userns,
		  struct berth_error *err);

/* Bind the pty slave `console_fd` onto <root>/dev/console (created as an
 * empty file when missing) after checking it is a devpts pty slave (major
 * 136..143) of the devpts mounted at <root>/dev/pts, when there is one. */
int devices_bind_console(int rootfd, int console_fd, struct berth_error *err);

#endif
