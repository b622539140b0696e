/* host_rootfs.c - the note of the rootfs's mount before create, and the
 * detach after a failed create or at delete. */
#include "host_rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/log.h"

bool host_rootfs_needed(const struct berth_spec *spec)
{
	return berth_spec_namespace(spec, BERTH_NS_MOUNT) == NULL;
}

int host_rootfs_note(int dir_fd, const struct berth_spec *spec, const char *rootfs,
		     struct berth_error *err)
{
	char buf[32];
	uint64_t id;

	if (spec->linux_.n_masked_paths || spec->linux_.n_readonly_paths)
		return berr_set(err,
				"unable to restrict sys entries without a private MNT namespace "
				"(linux.maskedPaths, linux.readonlyPaths)");
	if (hostmount_id(rootfs, &id, err) < 0)
		return -1;
	int n = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", id);
	_cleanup_close_ int fd =
	    openat(dir_fd, STATE_HOST_ROOTFS, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, buf, (size_t)n) != n)
		return berr_sys(err, errno, "write %s", STATE_HOST_ROOTFS);
	log_debug("no mount namespace: the rootfs is mount %" PRIu64 " of the host before create",
		  id);
	return 0;
}

int host_rootfs_release(int dir_fd, const char *rootfs, struct berth_error *err)
{
	char buf[32] = "";
	char *end;
	_cleanup_close_ int fd = openat(dir_fd, STATE_HOST_ROOTFS, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return berr_sys(err, errno, "open %s", STATE_HOST_ROOTFS);
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	uint64_t id = n > 0 ? strtoull(buf, &end, 10) : 0;
	if (n <= 0 || end == buf)
		return berr_set(err, "%s: no mount id in it", STATE_HOST_ROOTFS);
	int detached = hostmount_detach_above(rootfs, id, err);
	if (detached < 0 && err->errnum == ENOENT)
		return 0; /* the rootfs is gone: nothing can be mounted on it */
	if (detached < 0)
		return berr_prefix(err, "take the rootfs mounts off the host");
	log_debug("no mount namespace: %d mount(s) on %s detached", detached, rootfs);
	return 0;
}
