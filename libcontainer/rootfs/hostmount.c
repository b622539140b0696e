/* hostmount.c - the id of the mount a path shows, and detaching the mounts
 * stacked on it since. */
#include "hostmount.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"

/* Enough to stop a loop that a mount made at every detach could keep going. */
#define STACK_MAX 16

static int fd_mount_id(int fd, uint64_t *id, struct berth_error *err)
{
	struct statx sx;
	char path[64], line[128];

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0 && (sx.stx_mask & STATX_MNT_ID)) {
		*id = sx.stx_mnt_id;
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(path, "re");
	if (!f)
		return berr_sys(err, errno, "open %s", path);
	int rc = berr_set(err, "no mnt_id in %s", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "mnt_id: %" SCNu64, id) == 1) {
			rc = 0;
			break;
		}
	fclose(f);
	return rc;
}

static int open_top(const char *path, struct berth_error *err)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return berr_sys(err, errno, "open %s", path);
	return fd;
}

int hostmount_id(const char *path, uint64_t *id, struct berth_error *err)
{
	_cleanup_close_ int fd = open_top(path, err);

	if (fd < 0)
		return -1;
	if (fd_mount_id(fd, id, err) < 0)
		return berr_prefix(err, "mount id of %s", path);
	return 0;
}

int hostmount_detach_above(const char *path, uint64_t base_id, struct berth_error *err)
{
	int n = 0;

	for (;;) {
		_cleanup_close_ int fd = open_top(path, err);
		char self[64];
		uint64_t id;

		if (fd < 0)
			return -1;
		if (fd_mount_id(fd, &id, err) < 0)
			return berr_prefix(err, "mount id of %s", path);
		if (id == base_id)
			return n;
		if (n == STACK_MAX)
			return berr_set(err, "%s: still mounted over after %d detaches", path, n);
		/* the fd is the root of the top mount: unmount that, not a path */
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		if (umount2(self, MNT_DETACH) < 0)
			return berr_sys(err, errno, "detach the mount on %s", path);
		n++;
	}
}
