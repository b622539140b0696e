/* masks.c - masking and read-only paths with fd-based mounts only. */
#include "masks.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "mounts.h"
#include "safepath.h"

int masks_open_null(int rootfd, struct berth_error *err)
{
	_cleanup_close_ int fd = safepath_open(rootfd, "/dev/null", O_PATH | O_NOFOLLOW, err);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return berr_sys(err, errno, "fstat /dev/null");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return berr_set(err, "/dev/null is not the null device (1:3)");
	return steal_fd(&fd);
}

/* Open a listed path inside the root; 0 with *fd = -1 when it is missing. */
static int open_listed(int rootfd, const char *path, int *fd, struct berth_error *err)
{
	*fd = safepath_open(rootfd, path, O_PATH, err);
	if (*fd >= 0)
		return 0;
	if (err->errnum == ENOENT || err->errnum == ENOTDIR)
		return 0;
	return -1;
}

int masks_apply_masked(int rootfd, int nullfd, char *const *paths, size_t n,
		       const char *mount_label, struct berth_error *err)
{
	_cleanup_free_ char *data = NULL;

	if (mount_label && asprintf(&data, "context=\"%s\"", mount_label) < 0)
		return berr_sys(err, ENOMEM, "masked paths");
	for (size_t i = 0; i < n; i++) {
		_cleanup_close_ int fd = -1, mnt = -1;
		struct stat st;

		if (open_listed(rootfd, paths[i], &fd, err) < 0)
			return berr_prefix(err, "maskedPaths[%zu]", i);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) < 0)
			return berr_sys(err, errno, "maskedPaths[%zu] %s: fstat", i, paths[i]);
		if (S_ISDIR(st.st_mode))
			mnt = mounts_tmpfs_fd(fd, MOUNT_ATTR_RDONLY, data, err);
		else
			mnt = mounts_bind_fd(nullfd, fd, false, NULL, NULL, err);
		if (mnt < 0)
			return berr_prefix(err, "maskedPaths[%zu] %s", i, paths[i]);
	}
	return 0;
}

int masks_apply_readonly(int rootfd, char *const *paths, size_t n, struct berth_error *err)
{
	const struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};

	for (size_t i = 0; i < n; i++) {
		_cleanup_close_ int fd = -1, mnt = -1;

		if (open_listed(rootfd, paths[i], &fd, err) < 0)
			return berr_prefix(err, "readonlyPaths[%zu]", i);
		if (fd < 0)
			continue;
		/* bind onto itself so the read-only flag stays on this subtree */
		mnt = mounts_bind_fd(fd, fd, true, NULL, &ro, err);
		if (mnt < 0)
			return berr_prefix(err, "readonlyPaths[%zu] %s", i, paths[i]);
	}
	return 0;
}
